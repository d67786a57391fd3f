"""The subscribers screen: search by prefix, filters, counts that stay cheap, CSV import
(confirmed, known addresses skipped) and export, adding and acting through the services."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.admin import subscribers as screen
from notifications.admin.resources import SubscriberResource
from notifications.models import Source, Subscriber, Suppression

from ..conftest import subscriber

pytestmark = pytest.mark.django_db

LIST = reverse("admin:notifications_subscriber_changelist")


def emails(response) -> list[str]:
    return [row.email for row in response.context["cl"].result_list]


def test_search_finds_addresses_by_their_start_whatever_the_case(staff_client, page):
    subscriber(page, "jane@example.com")
    subscriber(page, "bob@jane.example")
    assert emails(staff_client.get(LIST, {"q": "JANE@"})) == ["jane@example.com"]


def test_the_state_filter(staff_client, page):
    subscriber(page, "on@example.com")
    subscriber(page, "waiting@example.com", confirmed=False)
    subscriber(page, "gone@example.com", suppression=Suppression.UNSUBSCRIBED)
    assert emails(staff_client.get(LIST, {"state": "confirmed"})) == ["on@example.com"]
    assert emails(staff_client.get(LIST, {"state": "pending"})) == ["waiting@example.com"]
    assert emails(staff_client.get(LIST, {"state": "suppressed"})) == ["gone@example.com"]


def test_the_list_does_not_count_the_whole_table_besides_the_page(staff_client, page):
    for n in range(3):
        subscriber(page, f"u{n}@example.com")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST, {"source": "form"})
    assert response.status_code == 200 and response.context["cl"].full_result_count is None
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    # Only the filtered list's own count.
    assert len(counts) == 1 and "WHERE" in counts[0].upper()


@pytest.mark.postgres
def test_a_large_list_is_counted_by_the_planners_estimate(staff_client, page, monkeypatch):
    monkeypatch.setattr(screen, "EXACT_COUNT_BELOW", 1)
    for n in range(3):
        subscriber(page, f"u{n}@example.com")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST)
    assert response.status_code == 200
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert response.context["cl"].result_count >= 1


@pytest.mark.postgres
def test_prefix_search_can_use_the_email_index(page):
    # With three rows the planner may prefer a scan; with scans off it must find the index.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = json.loads(Subscriber.objects.filter(email__startswith="jane@").explain(format="json"))
    assert "subscriber_email_idx" in json.dumps(plan)


def test_adding_a_subscriber_confirms_it_through_the_service(staff_client, page):
    response = staff_client.post(
        reverse("admin:notifications_subscriber_add"),
        {"status_page": page.pk, "email": "New@Example.com", "all_components": "on"},
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    added = Subscriber.objects.get()
    assert added.email == "new@example.com" and added.is_notifiable and added.source == Source.ADMIN


def test_changing_a_subscriber_changes_its_components(staff_client, page):
    ann = subscriber(page)
    cards = page.test_components["Cards"]
    response = staff_client.post(
        reverse("admin:notifications_subscriber_change", args=[ann.pk]), {"components": [cards.pk]}
    )
    assert response.status_code == 302
    ann.refresh_from_db()
    assert not ann.all_components and list(ann.components.all()) == [cards]


def test_the_unsubscribe_action(staff_client, page):
    ann = subscriber(page)
    staff_client.post(LIST, {"action": "unsubscribe_selected", "_selected_action": [ann.pk]})
    ann.refresh_from_db()
    assert ann.suppression == Suppression.UNSUBSCRIBED


def test_the_confirm_action(staff_client, page):
    ann = subscriber(page, confirmed=False)
    staff_client.post(LIST, {"action": "confirm_selected", "_selected_action": [ann.pk]})
    ann.refresh_from_db()
    assert ann.is_notifiable


def dataset(rows):
    import tablib

    return tablib.Dataset(*rows, headers=["email", "status_page"])


def test_an_import_confirms_new_addresses_and_skips_known_or_repeated_ones(page):
    subscriber(page, "known@example.com", suppression=Suppression.UNSUBSCRIBED)
    result = SubscriberResource().import_data(
        dataset([("New@example.com", "acme"), ("new@example.com", "acme"), ("known@example.com", "acme"), ("b@example.com", "acme")]),
        dry_run=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    imported = Subscriber.objects.filter(source=Source.IMPORT)
    assert sorted(imported.values_list("email", flat=True)) == ["b@example.com", "new@example.com"]
    assert all(s.is_notifiable and s.all_components for s in imported)
    assert Subscriber.objects.get(email="known@example.com").suppression == Suppression.UNSUBSCRIBED


def test_an_import_dry_run_writes_nothing(page):
    SubscriberResource().import_data(dataset([("a@example.com", "acme")]), dry_run=True)
    assert not Subscriber.objects.exists()


def test_an_import_reports_a_bad_address_or_page(page):
    result = SubscriberResource().import_data(dataset([("nope", "acme"), ("a@example.com", "no-such-page")]), dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("n", [2, 40])
def test_an_import_costs_the_same_queries_for_few_or_many_rows(page, n, django_assert_max_num_queries):
    rows = [(f"u{i}@example.com", "acme") for i in range(n)]
    # the pages, the known addresses, then the service's: savepoint, known addresses, INSERT, release
    with django_assert_max_num_queries(8):
        SubscriberResource().import_data(dataset(rows), dry_run=False, use_transactions=False)
    assert Subscriber.objects.count() == n


def test_the_csv_import_screen_imports_a_file(staff_client, page):
    upload = io.BytesIO(b"email,status_page\r\nann@example.com,acme\r\n")
    upload.name = "subscribers.csv"
    response = staff_client.post(
        reverse("admin:notifications_subscriber_import"),
        {"resource": 0, "format": 0, "import_file": upload},
    )
    assert response.status_code == 200 and "confirm" in response.content.decode().lower()
    assert not Subscriber.objects.exists()  # a preview first
    form = response.context["confirm_form"]
    response = staff_client.post(reverse("admin:notifications_subscriber_process_import"), {**form.initial, "resource": 0})
    assert response.status_code == 302
    assert Subscriber.objects.get().email == "ann@example.com"


def test_the_csv_import_screen_shows_an_overlong_address_as_a_row_error(staff_client, page):
    long_address = "x" * 300 + "@example.com"
    upload = io.BytesIO(f"email,status_page\r\n{long_address},acme\r\nann@example.com,acme\r\n".encode())
    upload.name = "subscribers.csv"
    response = staff_client.post(reverse("admin:notifications_subscriber_import"), {"resource": 0, "format": 0, "import_file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "is not an email address we can mail: The email address is too long before the @-sign" in text
    assert "value too long" not in text and "DataError" not in text
    assert not Subscriber.objects.exists()


def test_the_csv_export_has_state_and_components(staff_client, page):
    ann = subscriber(page, all_components=False)
    ann.components.set([page.test_components["API"], page.test_components["Cards"]])
    subscriber(page, "waiting@example.com", confirmed=False)
    response = staff_client.post(
        reverse("admin:notifications_subscriber_export"),
        {"format": "0", "resource": "0", **{f"subscriberresource_{f}": "on" for f in SubscriberResource._meta.fields}},
    )
    assert response.status_code == 200, response.content[:500]
    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["ann@example.com"]["state"] == "confirmed" and rows["waiting@example.com"]["state"] == "pending"
    assert sorted(rows["ann@example.com"]["components"].split(";")) == ["API", "Cards"]
    assert rows["ann@example.com"]["status_page"] == "acme"


def test_the_csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(staff_client, page):
    """An address or a component name starting with = + - @, a tab or a carriage return
    is a formula to Excel and LibreOffice: exported with a leading apostrophe, which
    they show as text. What starts otherwise is exported as it is."""
    hostile = ["=cmd|'/Ccalc'!A0@example.org", "+1+1@example.org", "-2+3@example.org", "@sum@example.org"]
    for email in hostile:
        subscriber(page, email)
    ann = subscriber(page, "ann@example.com", all_components=False)
    page.test_components["API"].name = "\t=HYPERLINK(1)"
    page.test_components["API"].save()
    ann.components.set([page.test_components["API"]])
    response = staff_client.post(
        reverse("admin:notifications_subscriber_export"),
        {"format": "0", "resource": "0", **{f"subscriberresource_{f}": "on" for f in SubscriberResource._meta.fields}},
    )
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["email"] for row in rows) == sorted(["ann@example.com", *(f"'{email}" for email in hostile)])
    assert [row["components"] for row in rows if row["email"] == "ann@example.com"] == ["'\t=HYPERLINK(1)"]
