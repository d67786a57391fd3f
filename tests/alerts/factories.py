"""Alert sources as every caller makes them: through the service, the secret kept on
the returned source (``source.secret``) since it is shown only once."""

from alerts import services


def make_source(source_type: str = "http", name: str = "Monitoring", **kwargs):
    source, secret = services.create_alert_source(name=name, source_type=source_type, **kwargs)
    source.secret = secret
    return source


def make_route(*sources, name: str = "Production", **fields):
    """A route taking every alert of ``sources`` (no conditions of their own)."""
    return services.create_alert_route(name=name, sources=[(source, []) for source in sources], **fields)
