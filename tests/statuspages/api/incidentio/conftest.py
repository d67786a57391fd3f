import pytest

from tests.clients import ApiClient, make_client
from tests.factories import status_page

#: an id nothing has
UNKNOWN = "01FCNDV6P870EA6S7TK1DSYDG0"


@pytest.fixture
def reader(db):
    """A client whose key may read status pages."""
    return make_client("status_page_viewer", name="Status page viewer")


@pytest.fixture
def publisher(db):
    """A client whose key may publish to status pages."""
    return make_client("status_page_publisher", name="Status page publisher")


@pytest.fixture
def api(db):
    return make_client("global_access", name="Global key")


@pytest.fixture
def stranger(db):
    """A client whose key has roles, but none for status pages."""
    return make_client("viewer", "incident_creator", name="Incident key")


@pytest.fixture
def anonymous(db):
    return ApiClient()


@pytest.fixture
def page(db):
    """A page showing API and Dashboard at its top level and Cards and Invoices in a
    Payments group (``page.test_components``)."""
    return status_page(components=["API", "Dashboard"], groups={"Payments": ["Cards", "Invoices"]})
