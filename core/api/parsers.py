"""Request bodies: JSON, parsed with orjson, within a size and a depth limit.

The size limit is Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``MAX_REQUEST_BODY_MB``):
DRF reads a JSON body through ``request.body``, which refuses a larger one before
reading it (``RequestDataTooBig``, answered 413 by ``errors.describe``). The depth limit
keeps a body such as ``[[[[...]]]]`` from reaching code that recurses over it (the
standard library's parser and encoder both overflow Python's stack a thousand levels
down); orjson also refuses what the database could not store (lone surrogates,
invalid UTF-8) and non-finite numbers, as the JSON grammar does.
"""

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

#: nesting no request of any dialect comes near (incident.io's deepest is 4 levels)
MAX_DEPTH = 32


def depth_exceeds(value, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests objects and arrays more than ``limit`` deep (a loop, not a
    recursion, so any depth is measured)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(DRFJSONParser):
    """DRF's JSON parser (DRF hands it ``request.body``, size-checked), on orjson."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = orjson.loads(stream.read())
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if depth_exceeds(data):
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep")
        return data
