"""What a chat message says, whatever the destination: the incident's facts and what
changed. Built once per change (``services.chat``), rendered per destination kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import ChatEvent

HEADLINES = {
    ChatEvent.DECLARED: "Incident declared",
    ChatEvent.RESOLVED: "Incident resolved",
    ChatEvent.STATUS_CHANGED: "Status changed",
    ChatEvent.SEVERITY_CHANGED: "Severity changed",
    ChatEvent.UPDATE_POSTED: "Update posted",
    ChatEvent.FOLLOW_UP_CREATED: "Follow-up created",
}

#: colours by headline (Slack/Mattermost attachments take "#rrggbb", Discord an integer)
COLOURS = {
    ChatEvent.DECLARED: "#d92d20",
    ChatEvent.RESOLVED: "#12b76a",
    ChatEvent.STATUS_CHANGED: "#f79009",
    ChatEvent.SEVERITY_CHANGED: "#f79009",
    ChatEvent.UPDATE_POSTED: "#2e90fa",
    ChatEvent.FOLLOW_UP_CREATED: "#7a5af8",
}


@dataclass(frozen=True)
class News:
    #: the ``ChatEvent`` the message leads with
    event: str
    #: every ``ChatEvent`` of the change (a resolution with a message: resolved, status
    #: changed, update posted)
    events: tuple[str, ...]
    incident_id: str
    reference: str
    name: str
    severity: str
    status: str
    lead: str
    url: str
    private: bool
    occurred_at: datetime
    #: the update's message, the summary of a declared incident, a follow-up's title
    #: and description
    text: str = ""
    previous_status: str | None = None
    previous_severity: str | None = None
    follow_up: str = ""

    @property
    def headline(self) -> str:
        return HEADLINES[self.event]

    @property
    def title(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def colour(self) -> str:
        return COLOURS[self.event]

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) in the order every destination shows them; a change shows
        where it came from."""
        status = f"{self.status} (was {self.previous_status})" if self.previous_status else self.status
        severity = f"{self.severity} (was {self.previous_severity})" if self.previous_severity else self.severity
        facts = [("Reference", self.reference), ("Severity", severity), ("Status", status), ("Lead", self.lead)]
        if self.follow_up:
            facts.append(("Follow-up", self.follow_up))
        return facts
