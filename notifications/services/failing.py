"""Endpoints that keep failing: counted, disabled, their owners told once.

Rules enforced here:
- every failed attempt (an error answer, no answer, a refused address) adds one to the
  endpoint's ``consecutive_failures`` and stamps ``failing_since`` the first time; a
  success clears both;
- after ``WEBHOOK_DISABLE_AFTER_FAILURES`` failures in a row, once the endpoint has also
  been failing for ``WEBHOOK_DISABLE_AFTER_HOURS``, it is disabled (its queued deliveries
  are skipped) and its owner and listed addresses are emailed: one conditional UPDATE
  disables it, so of two workers failing at once only one sends the email;
- a 410 Gone disables it at once, with the same email (``disable``);
- staff re-enable it in the admin, which forgives the failures (``webhooks.set_enabled``,
  ``webhooks.update_endpoint``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ..models import WebhookEndpoint

log = logging.getLogger(__name__)


def record_success(endpoint: WebhookEndpoint) -> None:
    if endpoint.consecutive_failures or endpoint.failing_since:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0, failing_since=None)


def record_failure(endpoint: WebhookEndpoint, reason: str) -> bool:
    """Count a failed attempt; True when it disabled the endpoint."""
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, failing_since=Coalesce(F("failing_since"), now)
    )
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk,
        enabled=True,
        consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER_FAILURES,
        failing_since__lte=now - timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS),
    ).update(enabled=False, disabled_reason=f"Kept failing ({reason})"[:255], updated_at=now)
    if disabled:
        endpoint.refresh_from_db()
        log.warning("Endpoint %s disabled after %s failures", endpoint.pk, endpoint.consecutive_failures)
        tell_owners(endpoint)
    return bool(disabled)


def disable(endpoint: WebhookEndpoint, reason: str) -> bool:
    """Disable ``endpoint`` at once (it answered 410 Gone) and tell its owners; True
    when this call disabled it (of two workers, one emails)."""
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_reason=reason[:255], updated_at=timezone.now()
    )
    if disabled:
        endpoint.refresh_from_db()
        tell_owners(endpoint)
    return bool(disabled)


def admin_url(endpoint: WebhookEndpoint) -> str:
    name = "chatdestination" if endpoint.is_chat else "webhookendpoint"
    return settings.SITE_URL + reverse(f"admin:notifications_{name}_change", args=[endpoint.pk])


def tell_owners(endpoint: WebhookEndpoint) -> None:
    addresses = endpoint.owner_addresses()
    if not addresses:
        return
    what = endpoint.get_kind_display() if endpoint.is_chat else "Webhook endpoint"
    since = f" since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC" if endpoint.failing_since else ""
    body = (
        f"{what} {endpoint} ({endpoint.url}) was disabled: {endpoint.disabled_reason}.\n\n"
        f"It failed {endpoint.consecutive_failures} times in a row{since}; "
        "nothing more is sent to it until it is enabled again.\n"
        f"Its attempt log, and the switch to enable it: {admin_url(endpoint)}\n"
    )
    try:
        send_mail(f"Disabled for failing: {endpoint}", body, None, addresses)
    except Exception:
        # The endpoint stays disabled and says why in the admin; the mail is a courtesy.
        log.exception("Could not email the owners of endpoint %s", endpoint.pk)
