"""How long each text a page shows may be, the same whichever dialect or screen writes it:
incident.io's limits where its API gives one (an incident's or a maintenance's name 200
characters, an update's message 4096), else the column's (255 for the other names) or, for
other text without a column limit, ``core.text.MULTI_LINE_MAX``. The models carry them as
validators (the admin's forms show a form error), the services check them
(``core.text.check_text``: each dialect's 422), and every text refuses control characters
(``core.text``)."""

from django.core.validators import MaxLengthValidator

from core.text import MULTI_LINE_MAX, length_message, multi_line, single_line

#: incident.io: StatusPagesCreateStatusPageIncidentPayloadV2.name
INCIDENT_NAME = 200
#: incident.io: StatusPagesCreateStatusPageMaintenancePayloadV2.name
MAINTENANCE_NAME = 200
#: incident.io: StatusPagesCreateStatusPageIncidentUpdatePayloadV2.message (Cachet's
#: updates, Checkly's descriptions and the admin's too)
MESSAGE = 4096
#: the columns' (pages: 200; components, groups, templates: 255)
PAGE_NAME = 200
NAME = 255
#: descriptions, templates: no column limit, so the rule's
DESCRIPTION = MULTI_LINE_MAX


def name_validators(limit: int) -> list:
    return [single_line, MaxLengthValidator(limit, message=length_message(limit))]


def text_validators(limit: int) -> list:
    return [multi_line, MaxLengthValidator(limit, message=length_message(limit))]
