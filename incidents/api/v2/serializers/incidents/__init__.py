"""Incidents and incident updates in incident.io's v2 dialect: ``rendering`` (how v2
builds an incident), ``results`` (response shapes) and ``payloads`` (request bodies)."""


from incidents.api.v2.serializers.incidents.rendering import render_incident_v2  # noqa: F401
from incidents.api.v2.serializers.incidents.results import (  # noqa: F401
    CustomFieldEntryV2Serializer,
    CustomFieldValueV2Serializer,
    ExternalIssueReferenceV2Serializer,
    IncidentRoleAssignmentV2Serializer,
    IncidentsCreateResultV2Serializer,
    IncidentsEditResultV2Serializer,
    IncidentsImportPostmortemDocumentResultV2Serializer,
    IncidentsListResultV2Serializer,
    IncidentsShowResultV2Serializer,
    IncidentTimestampValueV2Serializer,
    IncidentTimestampWithValueV2Serializer,
    IncidentUpdatesCreateResultV2Serializer,
    IncidentUpdatesListResultV2Serializer,
    IncidentUpdateV2Serializer,
    IncidentV2Serializer,
    PaginationMetaResultWithTotalV2Serializer,
    PostmortemDocumentV1Serializer,
)
from incidents.api.v2.serializers.incidents.payloads import (  # noqa: F401
    CustomFieldEntryPayloadV2Serializer,
    CustomFieldValuePayloadV2Serializer,
    IncidentEditPayloadV2Serializer,
    IncidentRoleAssignmentPayloadV2Serializer,
    IncidentsConnectExternalIssuePayloadV2Serializer,
    IncidentsCreatePayloadV2Serializer,
    IncidentsEditPayloadV2Serializer,
    IncidentsImportPostmortemDocumentPayloadV2Serializer,
    IncidentTimestampValuePayloadV2Serializer,
    IncidentUpdatesCreatePayloadV2Serializer,
    RetrospectiveIncidentOptionsV2Serializer,
    UserReferencePayloadV2Serializer,
)
