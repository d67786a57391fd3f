"""Checkly's ids are GUIDs: our ULIDs are 128 bits too, shown as UUIDs and read back
from either form."""

import uuid

from django.conf import settings
from ulid import ULID


def guid(pk: str) -> str:
    """The UUID Checkly's clients see for one of our ULIDs."""
    return str(ULID.from_str(pk).to_uuid())


def pk_from_guid(value) -> str | None:
    """Our ULID for a GUID (or a ULID, as our other dialects show it); None for anything
    else."""
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 26:
            return str(ULID.from_str(value))
        return str(ULID.from_uuid(uuid.UUID(value)))
    except ValueError:
        return None


def account_id() -> str:
    """The one Checkly account this installation is: a UUID derived from its SITE_URL,
    the same on every process and every restart (Checkly's ``X-Checkly-Account`` header
    is accepted and ignored)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL))
