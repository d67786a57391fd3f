"""The fuzz run (tests/fuzz.py) on the public pages' query parameters: whatever the query
string, no 5xx, and no parameter multiplies the bodies the cache keeps (the 200s of one
page share one ETag, the history's one per page number it reaches)."""

import pytest

from tests import fuzz

from .conftest import incident, maintenance

pytestmark = pytest.mark.django_db

PATHS = [
    "/status/acme/",
    "/status/acme/history/",
    "/status/acme/feed.atom",
    "/status/acme/feed.rss",
    "/status/acme/badge.svg",
    "/status/acme/api/v2/summary.json",
    "/status/acme/api/v2/incidents.json",
    "/status/",
]


@pytest.mark.parametrize("path_", PATHS)
def test_fuzzed_query_strings_get_no_5xx_and_one_body(client, page, speed, path_):
    incident(page, statuses={"API": "partial_outage"})
    maintenance(page)
    etags = fuzz.fuzz_public(client, path_)
    # The history answers pages 1 and 2 at most (a page of months each): one body each.
    assert len(etags) <= (2 if "history" in path_ else 1), etags
