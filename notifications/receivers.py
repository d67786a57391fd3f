"""Where notifications hands work to the broker: these receivers enqueue, nothing else.

``update_published`` (the status pages') is sent once the publishing transaction has
committed. Its receiver hands the fan-out to the broker in the background (``enqueue``),
so publishing returns at once even when the broker is slow or down. If the message is
lost, the update still has no ``notified_at`` and the periodic sweep enqueues it when the
broker answers again.

The services' own signals (``notifications.signals``) say what they recorded:
confirmation emails (outbox rows), enqueued in the background once the transaction that
recorded them commits; batches
and fan-outs, which the fan-out and the sweep record outside any transaction, enqueued at
once. The services never import the tasks; this module does.

The incidents' ``incident_created`` and ``incident_updated`` are sent inside the
transaction that changed the incident: their receivers record the webhook events (an
outbox row per endpoint, in that transaction) and enqueue the deliveries once it commits.
"""

from concurrent.futures import Future

from django.db import transaction
from django.dispatch import receiver

from incidents.models import FollowUp, Incident
from incidents.signals import follow_up_created, follow_up_updated, incident_created, incident_updated
from statuspages.signals import update_published

from .enqueue import in_background
from .selectors import Update
from .services.chat import UNCHANGED, record_follow_up_news, record_incident_news
from .services.delivery import kind_of
from .services.webhooks import enabled_endpoints, record_follow_up_event, record_incident_event
from .signals import batch_owed, confirmations_owed, fan_out_owed, webhook_deliveries_owed
from .tasks import deliver_webhook, fan_out, send_batch, send_confirmation, send_confirmations


def _send_fan_out(kind: str, update_id: str) -> None:
    fan_out.apply_async((kind, update_id), retry=False)


def enqueue_fan_out(update: Update) -> Future | None:
    """Ask a worker to email ``update``'s subscribers, without waiting for the broker."""
    return in_background(_send_fan_out, kind_of(update), str(update.pk))


@receiver(update_published)
def on_update_published(sender, update, **kwargs):
    enqueue_fan_out(update)


def _send_confirmations(subscriber_ids: list[str]) -> None:
    # One subscriber (asking on the form, added by staff): its own task; an import's
    # share: one SMTP connection for them all.
    if len(subscriber_ids) == 1:
        send_confirmation.apply_async((subscriber_ids[0],), retry=False)
    else:
        send_confirmations.apply_async((subscriber_ids,), retry=False)


@receiver(confirmations_owed)
def on_confirmations_owed(sender, subscriber_ids, **kwargs):
    # Recorded in the asking transaction (outbox rows): enqueued once it commits, in the
    # background, so a dead or frozen broker costs the request nothing; the sweep sends
    # what the broker never got. Outside a transaction (the sweep) this runs at once.
    ids = list(subscriber_ids)
    transaction.on_commit(lambda: in_background(_send_confirmations, ids))


@receiver(batch_owed)
def on_batch_owed(sender, kind, update_id, first_subscriber_id, last_subscriber_id, **kwargs):
    send_batch.delay(kind, update_id, first_subscriber_id, last_subscriber_id)


@receiver(fan_out_owed)
def on_fan_out_owed(sender, kind, update_id, **kwargs):
    fan_out.delay(kind, update_id)


# Webhooks ---------------------------------------------------------------------------------


def _send_webhooks(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        deliver_webhook.apply_async((pk,), retry=False)


@receiver(webhook_deliveries_owed)
def on_webhook_deliveries_owed(sender, delivery_ids, **kwargs):
    # Inside a transaction (a replay): once it commits, in the background; outside (the
    # sweep), at once. The sweep sends what the broker never got.
    ids = list(delivery_ids)
    transaction.on_commit(lambda: in_background(_send_webhooks, ids))


def _owed(ids: list[int]) -> None:
    if ids:
        webhook_deliveries_owed.send(sender=Incident, delivery_ids=ids)


@receiver(incident_created, sender=Incident)
def on_incident_created(sender, incident, **kwargs):
    # In the declaring transaction: the outbox rows commit with the incident or not at all.
    # One query for every endpoint and destination; nothing more when there are none.
    endpoints = enabled_endpoints()
    ids = record_incident_event(incident=incident, created=True, endpoints=endpoints)
    _owed(ids + record_incident_news(incident=incident, created=True, endpoints=endpoints))


@receiver(incident_updated, sender=Incident)
def on_incident_updated(sender, incident, previous_status_id=None, message="", **kwargs):
    endpoints = enabled_endpoints()
    ids = record_incident_event(incident=incident, previous_status_id=previous_status_id, message=message, endpoints=endpoints)
    ids += record_incident_news(
        incident=incident,
        previous_status_id=previous_status_id,
        # A sender that does not say (an older one) changed no severity.
        previous_severity_id=kwargs.get("previous_severity_id", UNCHANGED),
        message=message,
        endpoints=endpoints,
    )
    _owed(ids)


@receiver(follow_up_created, sender=FollowUp)
def on_follow_up_created(sender, follow_up, **kwargs):
    endpoints = enabled_endpoints()
    ids = record_follow_up_event(follow_up=follow_up, created=True, endpoints=endpoints)
    _owed(ids + record_follow_up_news(follow_up=follow_up, endpoints=endpoints))


@receiver(follow_up_updated, sender=FollowUp)
def on_follow_up_updated(sender, follow_up, **kwargs):
    _owed(record_follow_up_event(follow_up=follow_up, created=False))
