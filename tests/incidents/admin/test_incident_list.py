"""The incident list: what a responder reads in each row, the order, the filters, search
and what a page view costs as the table grows."""

import re

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import services
from incidents.admin.pagination import EstimatedCountPaginator
from incidents.models import Incident, IncidentStatus, StatusCategory
from tests.factories import IncidentFactory, UserFactory, declare

pytestmark = pytest.mark.django_db
URL = "/admin/incidents/incident/"


def test_active_incidents_come_first_then_the_newest(staff_client, statuses):
    old_live = declare("Old but live")
    closed = declare("Recently closed")
    services.close_incident(incident=closed, actor=None, message="Done")
    new_live = declare("New and live")
    response = staff_client.get(URL)
    assert list(response.context["cl"].result_list) == [new_live, old_live, closed]


def test_a_row_shows_status_and_severity_badges_lead_duration_and_last_activity(staff_client, severities, lead_role):
    incident = declare("Checkout is down", severity=severities["Critical"], visibility="private")
    services.assign_role(incident=incident, role=lead_role, assignee=UserFactory(first_name="Ada", last_name="Lovelace"), actor=None)
    body = staff_client.get(URL).content.decode()
    assert 'class="inc-badge inc-status inc-cat-live"' in body
    assert '<span class="inc-badge inc-sev-high">Critical</span>' in body
    assert "Ada Lovelace" in body and 'inc-badge inc-private">private' in body
    assert '<span class="inc-open" title="open for">0 min</span>' in body and "0 min ago</time>" in body


def test_a_resolved_incident_shows_how_long_it_took(staff_client):
    incident = declare("Short one")
    services.close_incident(incident=incident, actor=None, message="Fixed")
    assert '<span class="inc-resolved" title="time to resolve">0 min</span>' in staff_client.get(URL).content.decode()


def test_the_category_filter_offers_only_categories_statuses_use(staff_client):
    declare("Any")
    response = staff_client.get(URL)
    category_filter = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "category")
    offered = {value for value, _ in category_filter.lookup_choices}
    assert offered == set(IncidentStatus.objects.values_list("category", flat=True))
    assert StatusCategory.PAUSED not in offered and StatusCategory.LIVE in offered


@pytest.mark.parametrize("term", ["INC-{n}", "{n}"])
def test_search_finds_an_incident_by_its_reference(staff_client, term):
    wanted = declare("Findable")
    declare("Other")
    response = staff_client.get(URL, {"q": term.format(n=wanted.reference_number)})
    assert wanted in response.context["cl"].result_list


def test_search_by_words_of_the_name(staff_client):
    wanted = declare("Primary database disk full")
    declare("Checkout slow")
    response = staff_client.get(URL, {"q": "database full"})
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.parametrize("n", [1, 30])
def test_list_query_count_is_constant(staff_client, n, django_assert_num_queries):
    IncidentFactory.create_batch(n, with_roles=True, with_custom_fields=True)
    # session, user, statuses for the "move to" actions, the categories in use, the
    # status, severity and type filters, the count (bounded on PostgreSQL; past the bound,
    # one more for the plan), severities for the colours, the page, its leads, its end
    # timestamps
    with django_assert_num_queries(12):
        assert staff_client.get(URL).status_code == 200


@pytest.mark.postgres
def test_past_the_bound_the_count_is_the_planners_estimate_and_the_table_is_not_counted(staff_client, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 3)
    for n in range(5):
        declare(f"Incident {n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(URL)
    cl = response.context["cl"]
    assert cl.paginator.estimated and cl.result_count >= 4
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all(re.search(r"LIMIT 4\b", sql) for sql in counts), counts


def test_a_short_list_is_counted_exactly(staff_client):
    IncidentFactory.create_batch(3)
    response = staff_client.get(URL)
    assert response.context["cl"].result_count == 3 and not response.context["cl"].paginator.estimated


@pytest.mark.postgres
def test_name_search_reads_the_trigram_index(staff):
    declare("Primary database disk full")
    admin = site._registry[Incident]
    request = RequestFactory().get(URL, {"q": "database"})
    request.user = staff
    queryset, _ = admin.get_search_results(request, admin.get_queryset(request), "database")
    with connection.cursor() as cursor:
        # A table this small is read faster whole (or walked through any index); forbid
        # both to see whether an index can answer the condition itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "incident_name_trgm_idx" in plan, plan
