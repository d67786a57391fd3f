"""Cachet's list parameters as its query builder and paginator read them."""

from datetime import UTC, datetime

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from statuspages.api.cachet import query
from statuspages.api.cachet.errors import InvalidQuery
from statuspages.models import IncidentTemplate
from statuspages.services import incidents as services


def request(**params) -> Request:
    return Request(APIRequestFactory().get("/api/things", params))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2023-11-07 05:31:56", datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07T05:31:56Z", datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07T07:31:56+02:00", datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07", datetime(2023, 11, 7, tzinfo=UTC)),
        ("2023-13-07", None),
        ("soon", None),
        (20231107, None),
    ],
)
def test_times_are_read_as_laravels_date_rule_reads_them(raw, expected):
    assert query.moment(raw) == expected


def test_includes_filters_and_sorts_are_checked_against_what_a_list_allows():
    assert query.includes(request(include="a, b"), ["a", "b", "c"]) == {"a", "b"}
    assert query.filters(request(**{"filter[name]": "x", "filter[slug]": ""}), ["name", "slug"]) == {"name": "x"}
    with pytest.raises(InvalidQuery):
        query.includes(request(include="d"), ["a"])
    with pytest.raises(InvalidQuery):
        query.filters(request(**{"filter[d]": "1"}), ["a"])


def test_filter_values_split_on_commas_and_booleans_read_as_laravel_does():
    assert query.integers("1, 3,x") == [1, 3]
    assert [query.boolean(raw) for raw in ("1", "true", "0", "false", "maybe")] == [True, True, False, False, None]


@pytest.mark.django_db
@pytest.mark.parametrize("params, size, number", [({}, 15, 1), ({"per_page": "0"}, 1, 1), ({"per_page": "500"}, 100, 1), ({"per_page": "x", "page": "y"}, 15, 1), ({"page": "-3"}, 15, 1)])
def test_page_sizes_are_clamped_and_nonsense_falls_back(params, size, number):
    page = query.paginate(IncidentTemplate.objects.order_by("number"), request(**params))
    assert (page.meta["per_page"], page.meta["current_page"]) == (size, number)
    assert (page.meta["from"], page.meta["to"], page.rows) == (None, None, [])


@pytest.mark.django_db
def test_sorting_ends_on_the_id_so_pages_never_overlap():
    for name in ("b", "a", "b"):
        services.save_incident_template(actor=None, name=name, slug=f"{name}-{IncidentTemplate.objects.count()}", template="x")
    rows = query.sort(IncidentTemplate.objects.all(), request(sort="-name"), {"name": "name", "id": "number"})
    assert [(row.name, row.number) for row in rows] == [("b", 1), ("b", 3), ("a", 2)]
