"""Checkly's GUIDs are our ULIDs shown as UUIDs; the account is one fixed UUID."""

import uuid

from ulid import ULID

from statuspages.api.checkly.ids import account_id, guid, pk_from_guid


def test_a_ulid_is_shown_as_a_uuid_and_read_back_from_either_form():
    pk = str(ULID())
    shown = guid(pk)
    assert uuid.UUID(shown) and shown != pk
    assert pk_from_guid(shown) == pk_from_guid(pk) == pk_from_guid(pk.lower()) == pk


def test_anything_else_is_no_id():
    assert pk_from_guid("not-an-id") is None
    assert pk_from_guid("Z" * 26) is None
    assert pk_from_guid(None) is None


def test_the_account_id_is_derived_from_the_site_url(settings):
    settings.SITE_URL = "https://status.acme.example"
    assert account_id() == str(uuid.uuid5(uuid.NAMESPACE_URL, "https://status.acme.example")) == account_id()
    settings.SITE_URL = "https://other.example"
    assert account_id() != str(uuid.uuid5(uuid.NAMESPACE_URL, "https://status.acme.example"))
