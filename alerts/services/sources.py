"""Alert sources: creating, changing, rotating the secret of and deleting them, and
admitting an event by its secret.

Only a SHA-256 of each secret is stored (``ApiKey.hash_token``, the API keys' rule:
256 random bits need no slow hash, and the lookup stays one index probe); the secret is
handed out once, on create and on rotate.
"""

from __future__ import annotations

import hmac
import secrets

from django.db import transaction

from alerts.models import AlertSource, SourceType
from alerts.services import heartbeats
from core.exceptions import DomainError
from core.models import ApiKey

#: how a kind's payloads map onto an alert unless the source says otherwise
DEFAULT_MAPPING = {
    SourceType.HTTP: {"title": "title", "description": "description", "severity": "metadata.severity"},
    SourceType.ALERTMANAGER: {
        "title": "annotations.summary",
        "description": "annotations.description",
        "severity": "labels.severity",
    },
    SourceType.GRAFANA: {
        "title": "annotations.summary",
        "description": "annotations.description",
        "severity": "labels.severity",
    },
    SourceType.PAGER_DUTY: {"title": "payload.summary", "description": "", "severity": "payload.severity"},
    # A heartbeat's only alert is made by alerts/services/heartbeats.py.
    SourceType.HEARTBEAT: {"title": "", "description": "", "severity": ""},
}


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _check_binding(binding, field: str) -> dict:
    if binding in (None, ""):
        return {}
    if not isinstance(binding, dict) or set(binding) - {"literal", "reference", "label"}:
        raise DomainError("invalid_value", 'A binding is {"reference": "a.dotted.path"} or {"literal": "text"}', field=field)
    kept = {k: str(binding[k]).strip() for k in ("reference", "literal") if binding.get(k) not in (None, "")}
    if "reference" in kept:
        kept["reference"] = kept["reference"].removeprefix("$.")
    return kept


def _fields(
    *, name: str, title_binding, description_binding, dedup_key_path: str, severity_path: str, signing_secret: str
) -> dict:
    if not name or not name.strip():
        raise DomainError("missing_name", "An alert source needs a name", field="name")
    return {
        "name": name.strip(),
        "title_binding": _check_binding(title_binding, "template.title"),
        "description_binding": _check_binding(description_binding, "template.description"),
        "dedup_key_path": (dedup_key_path or "").strip().removeprefix("$."),
        "severity_path": (severity_path or "").strip().removeprefix("$."),
        "signing_secret": (signing_secret or "").strip(),
    }


@transaction.atomic
def create_alert_source(
    *,
    name: str,
    source_type: str,
    title_binding=None,
    description_binding=None,
    dedup_key_path: str = "",
    severity_path: str = "",
    signing_secret: str = "",
    heartbeat_options: dict | None = None,
) -> tuple[AlertSource, str]:
    """Create a source and return it with its secret; only the secret's hash is stored.
    A heartbeat source gets its schedule (``heartbeat_options``; incident.io's defaults
    when absent)."""
    if source_type not in SourceType.values:
        raise DomainError(
            "invalid_value",
            f"This tracker takes in {', '.join(SourceType.values)} sources, not {source_type}",
            field="source_type",
        )
    secret = _new_secret()
    defaults = DEFAULT_MAPPING[source_type]
    source = AlertSource.objects.create(
        source_type=source_type,
        secret_hash=ApiKey.hash_token(secret),
        secret_hint=secret[-4:],
        **_fields(
            name=name,
            title_binding=title_binding or {"reference": defaults["title"]},
            description_binding=description_binding
            or ({"reference": defaults["description"]} if defaults["description"] else {}),
            dedup_key_path=dedup_key_path,
            severity_path=severity_path or defaults["severity"],
            signing_secret=signing_secret,
        ),
    )
    if source_type == SourceType.HEARTBEAT or heartbeat_options:
        heartbeats.configure_heartbeat(source=source, options=heartbeat_options)
    return source, secret


@transaction.atomic
def update_alert_source(
    *,
    source: AlertSource,
    name: str,
    title_binding=None,
    description_binding=None,
    dedup_key_path: str | None = None,
    severity_path: str | None = None,
    disabled: bool | None = None,
    signing_secret: str | None = None,
    heartbeat_options: dict | None = None,
) -> AlertSource:
    fields = _fields(
        name=name,
        title_binding=source.title_binding if title_binding is None else title_binding,
        description_binding=source.description_binding if description_binding is None else description_binding,
        dedup_key_path=source.dedup_key_path if dedup_key_path is None else dedup_key_path,
        severity_path=source.severity_path if severity_path is None else severity_path,
        signing_secret=source.signing_secret if signing_secret is None else signing_secret,
    )
    for attribute, value in fields.items():
        setattr(source, attribute, value)
    if disabled is not None:
        source.disabled = disabled
    source.save()
    if heartbeat_options is not None:
        heartbeats.configure_heartbeat(source=source, options=heartbeat_options)
    return source


@transaction.atomic
def rotate_alert_source_secret(*, source: AlertSource) -> tuple[AlertSource, str]:
    """Issue a new secret; the old one stops at once (senders are reconfigured with it)."""
    secret = _new_secret()
    source.secret_hash = ApiKey.hash_token(secret)
    source.secret_hint = secret[-4:]
    source.save(update_fields=["secret_hash", "secret_hint", "updated_at"])
    return source, secret


def delete_alert_source(*, source: AlertSource) -> None:
    """Delete a source with its alerts and events."""
    source.delete()


def admit_source_by_secret(secret: str, *, source_type: str, source_id: str | None = None) -> AlertSource:
    """The enabled source of ``source_type`` whose secret is ``secret`` (PagerDuty's
    ``routing_key``): one probe of the secret's unique index. With ``source_id``, it must
    also be that source. DomainError as ``admit_source``."""
    source = AlertSource.objects.filter(secret_hash=ApiKey.hash_token(secret), source_type=source_type).first()
    if source is None or (source_id is not None and source.pk != source_id):
        raise DomainError("unauthenticated", "The alert source's secret is missing or wrong")
    if source.disabled:
        raise DomainError("disabled", "This alert source is disabled")
    return source


def admit_source(source_id: str, secret: str | None, *, source_type: str) -> AlertSource:
    """The enabled source ``source_id`` of ``source_type`` whose secret is ``secret``, or
    DomainError: ``unauthenticated`` (no or a wrong secret, or no such source: a caller
    without the secret learns nothing of which ids exist) or ``disabled``."""
    source = AlertSource.objects.filter(pk=source_id[:26], source_type=source_type).first() if secret else None
    if source is None or not hmac.compare_digest(source.secret_hash, ApiKey.hash_token(secret)):
        raise DomainError("unauthenticated", "The alert source's secret is missing or wrong")
    if source.disabled:
        raise DomainError("disabled", "This alert source is disabled")
    return source
