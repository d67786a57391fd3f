"""Staff screens of the notifications app, one module per screen: subscribers, and what
each notified update's emails became (``deliveries``), webhook endpoints (``webhooks``)."""

# The incident page's "notify the page's subscribers" (a status pages screen) says how many
# subscribers it reaches; status pages cannot import us, so we hand it the count.
from statuspages.admin.incident_console import PublishOnStatusPage  # noqa: E402

from ..selectors import count_reach  # noqa: E402
from . import (
    chat,  # noqa: F401 (registers ChatDestinationAdmin)
    deliveries,  # noqa: F401 (registers the delivery screens)
    subscribers,  # noqa: F401 (registers SubscriberAdmin)
    webhooks,  # noqa: F401 (registers WebhookEndpointAdmin)
)

PublishOnStatusPage.count_reach = staticmethod(count_reach)
