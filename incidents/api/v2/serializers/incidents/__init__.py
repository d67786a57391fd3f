"""Incidents and incident updates in incident.io's v2 dialect: ``rendering`` (the response
shapes, built as plain dicts) and ``payloads`` (request bodies)."""


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
from incidents.api.v2.serializers.incidents.rendering import (  # noqa: F401
    render_incident_update_v2,
    render_incident_v2,
    render_postmortem_document_v1,
)
