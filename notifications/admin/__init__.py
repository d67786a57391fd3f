"""Staff screens of the notifications app, one module per screen: subscribers, and what
each notified update's emails became (``deliveries``)."""

from . import deliveries  # noqa: F401 (registers the delivery screens)
from . import subscribers  # noqa: F401 (registers SubscriberAdmin)
