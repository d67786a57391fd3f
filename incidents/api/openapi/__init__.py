"""Which definition of a response shape our OpenAPI document describes.

Every response shape is written once, by us, in one of two ways (issue 16):

- **A serializer renders it**: configuration records (severities, statuses, types, roles,
  custom fields and their options, timestamps), API keys, identities. Its declared fields
  are the shape, drf-spectacular documents them, and nothing else builds that dict.
  Inside incidents, these records are rendered by the same serializers, once per
  configuration (``IncidentParts``: per version with acceleration, per request without),
  so they cost nothing per incident.
- **A function builds it as plain dicts**: incidents (v1 and v2), incident updates,
  postmortem documents, people and actors, users with their roles, follow-ups
  (``render_incident_v2``, ``render_incident_v1``, ``actor_shape``...). These are the hot
  path: a page lists 25 incidents with every role, field and option, and DRF's
  field-by-field serialization was measured several times slower than building dicts.
  No serializer lists their fields: our document takes their components verbatim from
  incident.io's own document (``vendor_component``), shipped as package data
  (``incident-io-components.json``, written by ``extract.py`` from the vendored
  reference). incident.io's schemas of these shapes are the contract our responses are
  tested against anyway, so they are the documentation with no second copy to keep.

The alternative, a renderer generated from the serializers' fields (or checked against
them at import), would keep a field list we write by hand and add a compiler from DRF
fields to a fast path (sources, omitted-when-empty keys, values computed from the
incident); copying the vendor's schema writes nothing at all. What the document says
about these shapes is therefore incident.io's, including optional keys we never send
(``debriefs``, an actor's ``workflow``; a page's ``total_record_count``, since counting
every matching row would make a page's latency grow with the table): a client reading it
expects no more than incident.io's own clients do.

How: a view names incident.io's component with ``vendor_component("IncidentsListResultV2")``
(a stand-in serializer that renders nothing), which ``VendorComponentExtension`` documents
with incident.io's schema; ``add_vendor_components``, a drf-spectacular postprocessing hook
(settings), then adds every component those schemas refer to that no serializer of ours
defines. A component one of our serializers defines keeps our definition, since that
serializer renders it (``SeverityV1`` inside ``IncidentV1``). tests/incidents/api/test_shapes.py
checks the shipped file against the vendored reference, the vendor's components in our
document against the reference, and every rendering against our document, key by key.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

COMPONENTS_FILE = Path(__file__).resolve().parent / "incident-io-components.json"
_PREFIX = "#/components/schemas/"


@functools.cache
def vendor_components() -> dict[str, dict]:
    """incident.io's component schemas we document our renderings with, by name."""
    return json.loads(COMPONENTS_FILE.read_text())


class VendorComponent(serializers.Serializer):
    """Stands for incident.io's component ``component_name`` in ``extend_schema`` and
    ``extend_schema_field``: it documents a shape a function builds, and renders nothing.
    (A serializer rather than a raw schema, so a list action's body stays one object.)"""

    component_name = ""

    def to_representation(self, instance):
        raise TypeError(f"{self.component_name} is built by a rendering function; this class only documents it")


@functools.cache
def vendor_component(name: str) -> type[VendorComponent]:
    """The stand-in for incident.io's component ``name``; a name the shipped file lacks
    fails when the view is defined."""
    if name not in vendor_components():
        raise LookupError(f"{name} is not among the components extract.py ships; add it to its ROOTS")
    return type(f"{name}Serializer", (VendorComponent,), {"component_name": name, "__module__": __name__})


class VendorComponentExtension(OpenApiSerializerExtension):
    """drf-spectacular documents a ``vendor_component`` with incident.io's schema, under
    incident.io's name."""

    target_class = VendorComponent
    match_subclasses = True

    def get_name(self, auto_schema, direction):
        return self.target.component_name

    def map_serializer(self, auto_schema, direction):
        return copy.deepcopy(vendor_components()[self.target.component_name])


def referenced_components(schema) -> set[str]:
    """Names of the components ``schema`` refers to (anywhere inside it)."""
    found, pending = set(), [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                found.add(ref[len(_PREFIX):])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def add_vendor_components(result, generator=None, request=None, public=None):
    """drf-spectacular postprocessing hook: define, from incident.io's schemas, every
    component the document refers to but no serializer of ours defines."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    pending = sorted(referenced_components(result) - schemas.keys())
    while pending:
        name = pending.pop()
        if name in schemas:
            continue
        try:
            schemas[name] = copy.deepcopy(vendor_components()[name])
        except KeyError:
            raise LookupError(f"The document refers to {name}: no serializer and no vendor component defines it") from None
        pending.extend(referenced_components(schemas[name]) - schemas.keys())
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result
