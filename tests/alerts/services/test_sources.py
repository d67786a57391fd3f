import pytest

from alerts import services
from alerts.models import AlertSource
from core.exceptions import DomainError
from core.models import ApiKey
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db


def test_a_source_keeps_only_a_hash_of_its_secret_which_admits_its_events():
    source = make_source()
    stored = AlertSource.objects.get()
    assert source.secret not in (stored.secret_hash, stored.secret_hint)
    assert stored.secret_hash == ApiKey.hash_token(source.secret)
    assert services.admit_source(source.pk, source.secret, source_type="http") == stored


@pytest.mark.parametrize("secret", [None, "", "wrong"])
def test_a_missing_or_wrong_secret_is_refused(secret):
    source = make_source()
    with pytest.raises(DomainError) as refused:
        services.admit_source(source.pk, secret, source_type="http")
    assert refused.value.code == "unauthenticated"


def test_a_source_of_another_kind_does_not_admit_events_of_this_kind():
    source = make_source("alertmanager")
    with pytest.raises(DomainError):
        services.admit_source(source.pk, source.secret, source_type="http")


def test_rotating_issues_a_new_secret_and_the_old_one_stops():
    source = make_source()
    old = source.secret
    _, new = services.rotate_alert_source_secret(source=source)
    assert new != old
    assert services.admit_source(source.pk, new, source_type="http")
    with pytest.raises(DomainError):
        services.admit_source(source.pk, old, source_type="http")


def test_a_disabled_source_refuses_its_events():
    source = make_source()
    services.update_alert_source(source=source, name=source.name, disabled=True)
    with pytest.raises(DomainError) as refused:
        services.admit_source(source.pk, source.secret, source_type="http")
    assert refused.value.code == "disabled"


def test_each_kind_gets_its_mapping_unless_told_otherwise():
    am = make_source("alertmanager")
    assert am.title_binding == {"reference": "annotations.summary"} and am.severity_path == "labels.severity"
    custom = make_source(title_binding={"reference": "$.name"}, dedup_key_path="$.metadata.id")
    assert custom.title_binding == {"reference": "name"} and custom.dedup_key_path == "metadata.id"


def test_an_unknown_kind_and_a_blank_name_are_refused():
    with pytest.raises(DomainError):
        services.create_alert_source(name="x", source_type="datadog")
    with pytest.raises(DomainError):
        services.create_alert_source(name=" ", source_type="http")
