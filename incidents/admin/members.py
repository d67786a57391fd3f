"""The members of a private incident on its page: who may see it, and, for those who may
change the incident, adding a colleague or removing one. Every change goes through
``services`` (which audit it)."""

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
from incidents.models import Incident, IncidentMembership

from .. import services


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), label="Add a member", empty_label="Choose a colleague…"
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        members = IncidentMembership.objects.filter(incident=incident).values("user_id")
        colleagues = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(pk__in=members)
        self.fields["user"].queryset = colleagues.order_by("first_name", "last_name", "username")
        self.fields["user"].label_from_instance = display.person


def members_context(model_admin, request, incident: Incident) -> dict:
    """What the page's Members card shows: nothing for a public incident."""
    if not incident.is_private:
        return {}
    members = list(IncidentMembership.objects.filter(incident=incident).select_related("user").order_by("created_at", "id"))
    may_change = model_admin.has_change_permission(request, incident)
    return {
        "show_members": True,
        "members": [(display.person(m.user), m.user_id) for m in members],
        "add_member_form": AddMemberForm(incident=incident) if may_change else None,
        "may_change_members": may_change,
        "add_member_url": reverse("admin:incidents_incident_add_member", args=[incident.pk]),
    }


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<str:object_id>/members/add/",
            view(require_POST(lambda r, object_id: add_member(model_admin, r, object_id))),
            name="incidents_incident_add_member",
        ),
        path(
            "<str:object_id>/members/<str:user_id>/revoke/",
            view(require_POST(lambda r, object_id, user_id: revoke_member(model_admin, r, object_id, user_id))),
            name="incidents_incident_revoke_member",
        ),
    ]


def add_member(model_admin, request, object_id):
    incident = changeable_incident(model_admin, request, object_id)
    form = AddMemberForm(request.POST, incident=incident)
    if not form.is_valid():
        model_admin.message_user(request, "Choose a colleague to add.", messages.ERROR)
    else:
        user = form.cleaned_data["user"]
        try:
            services.add_incident_member(incident=incident, user=user, actor=request.user)
        except DomainError as exc:
            model_admin.message_user(request, exc.message, messages.ERROR)
        else:
            model_admin.log_change(request, incident, f"Made {user.get_username()} a member")
            model_admin.message_user(request, f"{display.person(user)} is now a member.", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#members")


def revoke_member(model_admin, request, object_id, user_id):
    incident = changeable_incident(model_admin, request, object_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not services.revoke_incident_membership(incident=incident, user=user, actor=request.user):
        raise Http404
    model_admin.log_change(request, incident, f"Removed {user.get_username()} from the members")
    model_admin.message_user(request, f"{display.person(user)} is no longer a member.", messages.SUCCESS)
    if user == request.user and not Incident.objects.restrict(user).filter(pk=incident.pk).exists():
        return HttpResponseRedirect(reverse("admin:incidents_incident_changelist"))
    return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#members")
