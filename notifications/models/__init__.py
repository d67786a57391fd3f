"""The notifications app's tables, one module per domain: subscribers and their emails,
webhook endpoints and their deliveries."""

from .subscribers import (
    Confirmation,
    Delivery,
    DeliveryState,
    NotifiedIncidentUpdate,
    NotifiedMaintenanceUpdate,
    Source,
    Subscriber,
    Suppression,
)
from .webhooks import (
    EVENT_TYPES,
    ChatDestination,
    ChatEvent,
    EndpointKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)

__all__ = [
    "Confirmation",
    "Delivery",
    "DeliveryState",
    "NotifiedIncidentUpdate",
    "NotifiedMaintenanceUpdate",
    "Source",
    "Subscriber",
    "Suppression",
    "EVENT_TYPES",
    "ChatDestination",
    "ChatEvent",
    "EndpointKind",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookMessage",
]
