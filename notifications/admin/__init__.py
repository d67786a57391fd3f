"""Staff screens of the notifications app, one module per screen."""

from . import subscribers  # noqa: F401 (registers SubscriberAdmin)
