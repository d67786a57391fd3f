"""Write incident-io-components.json: incident.io's schemas of the responses we build as
plain dicts (``ROOTS``) and of every component they refer to, taken from its published
OpenAPI document unchanged.

    python -m incidents.api.openapi.extract [path/to/incident-io-openapi.json [path/to/incident-io-openapi-full.json]]

Run it after replacing tests/reference/incident-io-openapi.json, or after adding a root;
tests/incidents/api/test_shapes.py fails while the shipped file is not what it writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from incidents.api.openapi import COMPONENTS_FILE, referenced_components

REFERENCE = Path(__file__).resolve().parents[3] / "tests" / "reference" / "incident-io-openapi.json"
#: incident.io's whole public document: the shapes of operations the one in use lacks
#: (follow-ups V2). A component both have is taken from the one in use.
FULL_REFERENCE = REFERENCE.with_name("incident-io-openapi-full.json")

# The response bodies (and the one field, an API key's creator) our renderers build.
ROOTS = (
    "IncidentsListResultV1",
    "IncidentsShowResultV1",
    "IncidentsCreateResultV1",
    "IncidentsListResultV2",
    "IncidentsShowResultV2",
    "IncidentsCreateResultV2",
    "IncidentsEditResultV2",
    "IncidentsImportPostmortemDocumentResultV2",
    "IncidentUpdatesListResultV2",
    "IncidentUpdatesCreateResultV2",
    "UsersListResultV2",
    "UsersShowResultV2",
    "IncidentMembershipsCreateResultV1",
    "ActorV1",
    "FollowUpsListResultV3",
    "FollowUpsCreateResultV3",
    "FollowUpsShowResultV3",
    "FollowUpsUpdateResultV3",
    "FollowUpsConnectExternalIssueResultV3",
    "FollowUpsCreateFromLinkResultV3",
    "ActionsListResultV3",
    "ActionsShowResultV3",
    "ActionsCreateResultV3",
    "ActionsUpdateResultV3",
    "IncidentTimelineItemsListResultV2",
    "IncidentTimelineItemsCreateResultV2",
    "IncidentTimelineItemsUpdateResultV2",
    "IncidentAttachmentsListResultV1",
    "IncidentAttachmentsCreateResultV1",
    "IncidentRelationshipsListResultV1",
    # From the full document only:
    "FollowUpsListResultV2",
    "FollowUpsShowResultV2",
    "FollowUpsCreateResultV2",
    "FollowUpsUpdateResultV2",
    "FollowUpsConnectExternalIssueResultV2",
    "ActionsListResultV2",
    "ActionsShowResultV2",
    "ActionsCreateResultV2",
    "ActionsUpdateResultV2",
)


def reference_schemas(reference: dict, full: dict) -> dict[str, dict]:
    """Every component of either document; the one in use (``reference``) wins a name both have."""
    return {**full["components"]["schemas"], **reference["components"]["schemas"]}


def extract(reference: dict, full: dict) -> dict[str, dict]:
    """``ROOTS`` and every component they refer to, by name, as ``reference`` has them
    (or, for a name it lacks, ``full``)."""
    schemas = reference_schemas(reference, full)
    found, pending = {}, list(ROOTS)
    while pending:
        name = pending.pop()
        if name not in found:
            found[name] = schemas[name]
            pending.extend(referenced_components(schemas[name]))
    return dict(sorted(found.items()))


def render(components: dict[str, dict]) -> str:
    return json.dumps(components, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    reference = Path(argv[0]) if argv else REFERENCE
    full = Path(argv[1]) if len(argv) > 1 else FULL_REFERENCE
    components = extract(json.loads(reference.read_text()), json.loads(full.read_text()))
    COMPONENTS_FILE.write_text(render(components))
    print(f"{len(components)} components from {reference} -> {COMPONENTS_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
