"""The one table of Cachet's integer enums against ours, read both ways."""

import pytest

from statuspages.api.cachet import enums
from statuspages.models import ComponentStatus, IncidentStatus, MaintenanceStatus, Visibility
from statuspages.selectors import UNDER_MAINTENANCE

COMPONENT = [
    (ComponentStatus.OPERATIONAL, 1),
    (ComponentStatus.DEGRADED_PERFORMANCE, 2),
    (ComponentStatus.PARTIAL_OUTAGE, 3),
    (ComponentStatus.FULL_OUTAGE, 4),
    (UNDER_MAINTENANCE, 6),
]
INCIDENT = [
    (IncidentStatus.INVESTIGATING, 1),
    (IncidentStatus.IDENTIFIED, 2),
    (IncidentStatus.MONITORING, 3),
    (IncidentStatus.RESOLVED, 4),
]
SCHEDULE = [(MaintenanceStatus.SCHEDULED, 0), (MaintenanceStatus.IN_PROGRESS, 1), (MaintenanceStatus.COMPLETE, 2)]
VISIBILITY = [(Visibility.STAFF, 0), (Visibility.PUBLIC, 1), (Visibility.HIDDEN, 2)]


@pytest.mark.parametrize(
    "table, cases",
    [
        (enums.COMPONENT_STATUSES, COMPONENT),
        (enums.INCIDENT_STATUSES, INCIDENT),
        (enums.SCHEDULE_STATUSES, SCHEDULE),
        (enums.INCIDENT_VISIBILITY, VISIBILITY),
    ],
    ids=["component", "incident", "schedule", "visibility"],
)
def test_each_enum_maps_ours_to_cachets_and_back(table, cases):
    for ours, cachet in cases:
        assert enums.to_cachet(table, ours) == cachet
        assert enums.from_cachet(table, cachet) == ours
    assert len(table) == len(cases)  # nothing mapped that the cases do not name


def test_every_status_of_ours_has_a_cachet_value():
    assert set(enums.COMPONENT_STATUSES) == {*ComponentStatus.values, UNDER_MAINTENANCE}
    assert set(enums.INCIDENT_STATUSES) == set(IncidentStatus.values)
    assert set(enums.SCHEDULE_STATUSES) == set(MaintenanceStatus.values)
    assert set(enums.INCIDENT_VISIBILITY) == set(Visibility.values)


@pytest.mark.parametrize("table, value", [(enums.COMPONENT_STATUSES, 5), (enums.INCIDENT_STATUSES, 0)], ids=["unknown", "reported"])
def test_cachet_values_we_cannot_store_have_no_way_in(table, value):
    with pytest.raises(KeyError):
        enums.from_cachet(table, value)


def test_components_cannot_be_set_under_maintenance_or_unknown():
    assert enums.SETTABLE_COMPONENT_STATUSES == (1, 2, 3, 4)


def test_every_cachet_value_has_cachets_label():
    assert enums.COMPONENT_STATUS_LABELS == {
        1: "Operational", 2: "Performance issues", 3: "Partial outage", 4: "Major outage", 5: "Unknown", 6: "Under maintenance",
    }  # fmt: skip
    assert enums.INCIDENT_STATUS_LABELS == {0: "Reported", 1: "Investigating", 2: "Identified", 3: "Watching", 4: "Fixed"}
    assert enums.SCHEDULE_STATUS_LABELS == {0: "Upcoming", 1: "In progress", 2: "Complete"}


def test_labelled_values_are_strings_as_the_document_types_them():
    assert enums.labelled(enums.INCIDENT_STATUS_LABELS, 4) == {"human": "Fixed", "value": "4"}


def test_group_flags_map_both_ways():
    assert enums.from_cachet(enums.GROUP_VISIBILITY, 1) is False and enums.from_cachet(enums.GROUP_VISIBILITY, 0) is True
    assert enums.from_cachet(enums.GROUP_COLLAPSED, 1) is True and enums.from_cachet(enums.GROUP_COLLAPSED, 0) is False
    assert {enums.INCIDENT_VISIBLE[True], enums.INCIDENT_VISIBLE[False]} == {Visibility.PUBLIC, Visibility.STAFF}
