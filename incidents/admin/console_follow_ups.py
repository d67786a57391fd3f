"""The incident page's Follow-ups card: what must be done after the incident, with a form
to add one and a button to tick one done (or open again), for those who may change the
incident. Every change goes through ``services`` (which send the follow-up signals)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from incidents.admin import display
from incidents.admin.cards import changeable_incident
from incidents.models import FollowUp, FollowUpStatus, Incident

from .. import services


class AddFollowUpForm(forms.Form):
    title = forms.CharField(max_length=255, label="Follow-up")
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, empty_label="Nobody yet")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True, is_staff=True)
        self.fields["assignee"].queryset = staff.order_by("first_name", "last_name", "username")
        self.fields["assignee"].label_from_instance = display.person


def follow_ups_context(model_admin, request, incident: Incident) -> dict:
    rows = FollowUp.objects.filter(incident=incident).exclude(status=FollowUpStatus.DELETED).select_related("assignee")
    may_change = model_admin.has_change_permission(request, incident)
    follow_ups = [
        {
            "pk": f.pk,
            "title": f.title,
            "status": f.get_status_display(),
            "done": f.status == FollowUpStatus.COMPLETED,
            "outstanding": f.status == FollowUpStatus.OUTSTANDING,
            "assignee": display.person(f.assignee) if f.assignee else "",
        }
        for f in rows.order_by("created_at", "id")
    ]
    return {
        "follow_ups": follow_ups,
        "outstanding_follow_ups": sum(f["outstanding"] for f in follow_ups),
        "add_follow_up_form": AddFollowUpForm() if may_change else None,
        "may_change_follow_ups": may_change,
    }


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<str:object_id>/follow-ups/add/",
            view(require_POST(lambda r, object_id: add_follow_up(model_admin, r, object_id))),
            name="incidents_incident_add_follow_up",
        ),
        path(
            "<str:object_id>/follow-ups/<str:follow_up_id>/tick/",
            view(require_POST(lambda r, object_id, follow_up_id: tick_follow_up(model_admin, r, object_id, follow_up_id))),
            name="incidents_incident_tick_follow_up",
        ),
    ]


def _back(incident: Incident) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#follow-ups")


def add_follow_up(model_admin, request, object_id):
    incident = changeable_incident(model_admin, request, object_id)
    form = AddFollowUpForm(request.POST)
    if not form.is_valid():
        model_admin.message_user(request, "A follow-up needs a title.", messages.ERROR)
        return _back(incident)
    try:
        services.create_follow_up(
            incident=incident, actor=request.user, title=form.cleaned_data["title"], assignee=form.cleaned_data["assignee"]
        )
    except DomainError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
    else:
        model_admin.message_user(request, "Follow-up added.", messages.SUCCESS)
    return _back(incident)


def tick_follow_up(model_admin, request, object_id, follow_up_id):
    """Outstanding becomes completed; anything else becomes outstanding again."""
    incident = changeable_incident(model_admin, request, object_id)
    follow_up = FollowUp.objects.filter(incident=incident, pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    done = follow_up.status == FollowUpStatus.OUTSTANDING
    status = FollowUpStatus.COMPLETED if done else FollowUpStatus.OUTSTANDING
    services.update_follow_up(follow_up=follow_up, actor=request.user, status=status)
    model_admin.message_user(request, f"“{follow_up.title}” is {status.label.lower()}.", messages.SUCCESS)
    return _back(incident)
