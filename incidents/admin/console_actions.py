"""The incident page's Actions card: what is being done during the incident, with a form
to add one and a button to tick one done (or open again), for those who may change the
incident. Every change goes through ``services`` (which send the action signals)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from incidents.admin.cards import changeable_incident
from incidents.admin.console_follow_ups import AddFollowUpForm
from incidents.models import Action, ActionStatus, Incident

from .. import services
from . import display


class AddActionForm(AddFollowUpForm):
    """An action's description and assignee (the follow-up form's assignee choices)."""

    title = None
    description = forms.CharField(max_length=2000, label="Action")
    field_order = ["description", "assignee"]


def actions_context(model_admin, request, incident: Incident) -> dict:
    rows = Action.objects.filter(incident=incident).exclude(status=ActionStatus.DELETED).select_related("assignee")
    may_change = model_admin.has_change_permission(request, incident)
    actions = [
        {
            "pk": a.pk,
            "description": a.description,
            "status": a.get_status_display(),
            "done": a.status == ActionStatus.COMPLETED,
            "outstanding": a.status == ActionStatus.OUTSTANDING,
            "assignee": display.person(a.assignee) if a.assignee else "",
        }
        for a in rows.order_by("created_at", "id")
    ]
    return {
        "actions": actions,
        "outstanding_actions": sum(a["outstanding"] for a in actions),
        "add_action_form": AddActionForm(prefix="action") if may_change else None,
        "may_change_actions": may_change,
    }


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<str:object_id>/actions/add/",
            view(require_POST(lambda r, object_id: add_action(model_admin, r, object_id))),
            name="incidents_incident_add_action",
        ),
        path(
            "<str:object_id>/actions/<str:action_id>/tick/",
            view(require_POST(lambda r, object_id, action_id: tick_action(model_admin, r, object_id, action_id))),
            name="incidents_incident_tick_action",
        ),
    ]


def _back(incident: Incident) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#actions")


def add_action(model_admin, request, object_id):
    incident = changeable_incident(model_admin, request, object_id)
    form = AddActionForm(request.POST, prefix="action")
    if not form.is_valid():
        model_admin.message_user(request, "An action needs a description.", messages.ERROR)
        return _back(incident)
    try:
        services.create_action(
            incident=incident,
            actor=request.user,
            description=form.cleaned_data["description"],
            assignee=form.cleaned_data["assignee"],
        )
    except DomainError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
    else:
        model_admin.message_user(request, "Action added.", messages.SUCCESS)
    return _back(incident)


def tick_action(model_admin, request, object_id, action_id):
    """Outstanding becomes completed; anything else becomes outstanding again."""
    incident = changeable_incident(model_admin, request, object_id)
    action = Action.objects.filter(incident=incident, pk=action_id).first()
    if action is None:
        raise Http404
    status = ActionStatus.COMPLETED if action.status == ActionStatus.OUTSTANDING else ActionStatus.OUTSTANDING
    services.update_action(action=action, actor=request.user, status=status)
    model_admin.message_user(request, f"“{action}” is {status.label.lower()}.", messages.SUCCESS)
    return _back(incident)
