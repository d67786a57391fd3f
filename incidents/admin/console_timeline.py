"""The incident page's timeline form: note what happened, when it happened (now, or
earlier: the note takes its place between the updates). Each rendered form carries its
own idempotency key, so submitting it twice notes it once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.models import new_ulid
from incidents.admin.cards import changeable_incident
from incidents.models import Incident, TimelineItem

from .. import services


class AddTimelineItemForm(forms.Form):
    title = forms.CharField(max_length=255)
    occurred_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: now.",
    )
    key = forms.CharField(max_length=26, widget=forms.HiddenInput)


def timeline_context(model_admin, request, incident: Incident) -> dict:
    if not model_admin.has_change_permission(request, incident):
        return {"add_timeline_item_form": None, "may_change_timeline": False}
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = AddTimelineItemForm(prefix="note", initial={"occurred_at": now, "key": new_ulid()})
    return {"add_timeline_item_form": form, "may_change_timeline": True}


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<str:object_id>/timeline/add/",
            view(require_POST(lambda r, object_id: add_timeline_item(model_admin, r, object_id))),
            name="incidents_incident_add_timeline_item",
        ),
        path(
            "<str:object_id>/timeline/<str:item_id>/remove/",
            view(require_POST(lambda r, object_id, item_id: remove_timeline_item(model_admin, r, object_id, item_id))),
            name="incidents_incident_remove_timeline_item",
        ),
    ]


def add_timeline_item(model_admin, request, object_id):
    incident = changeable_incident(model_admin, request, object_id)
    back = HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#timeline")
    form = AddTimelineItemForm(request.POST, prefix="note")
    if not form.is_valid():
        model_admin.message_user(request, "A note needs a title and a valid time.", messages.ERROR)
        return back
    try:
        services.create_timeline_item(
            incident=incident,
            actor=request.user,
            title=form.cleaned_data["title"],
            occurred_at=form.cleaned_data["occurred_at"] or timezone.now(),
            idempotency_key=f"admin:{form.cleaned_data['key']}",
        )
    except DomainError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
    else:
        model_admin.message_user(request, "Noted on the timeline.", messages.SUCCESS)
    return back


def remove_timeline_item(model_admin, request, object_id, item_id):
    """Take a mistaken note off the timeline (incident.io's API has no delete for them)."""
    incident = changeable_incident(model_admin, request, object_id)
    item = TimelineItem.objects.filter(incident=incident, pk=item_id).first()
    if item is None:
        raise Http404
    services.delete_timeline_item(item=item, actor=request.user)
    model_admin.message_user(request, f"“{item.title}” is off the timeline.", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#timeline")
