"""Values out of an event's JSON document, by dotted path."""


def at_path(document, path: str):
    """The value at a dotted path (``labels.severity``) of a JSON document, or None."""
    value = document
    for part in path.split(".") if path else ():
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def text_at(document, path: str) -> str:
    value = at_path(document, path) if path else None
    return "" if value is None or isinstance(value, dict | list) else str(value)
