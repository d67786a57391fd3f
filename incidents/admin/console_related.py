"""The incident page's "Related incidents and links" card: the incidents related to this
one, each a link to its page (the other incident's page links back: a relationship is
one row that both show), the resources attached to it, and, for those who may change the
incident, forms to relate another incident by its reference and to attach a link. Only
incidents the user may see are shown or can be related."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.models.restricted import restricted
from incidents import selectors
from incidents.admin.cards import changeable_incident
from incidents.models import Incident, IncidentAttachment, IncidentRelationship, ResourceType

from .. import services


class RelateForm(forms.Form):
    reference = forms.CharField(max_length=30, label="Related incident", help_text="Its reference, e.g. INC-12")


class AttachForm(forms.Form):
    resource_type = forms.ChoiceField(
        choices=[(v, label) for v, label in ResourceType.choices if v != ResourceType.SCRUBBED], initial=ResourceType.ARBITRARY_URL,
        label="Kind",
    )
    url = forms.URLField(max_length=1000, label="Link")
    title = forms.CharField(max_length=255, required=False)


def related_context(model_admin, request, incident: Incident) -> dict:
    relationships = restricted(IncidentRelationship.objects.select_related("incident", "related"), request.user).of(incident)
    may_change = model_admin.has_change_permission(request, incident)
    related = sorted((r.other(incident.pk) for r in relationships), key=lambda other: other.reference_number)
    return {
        "related_incidents": [
            {"incident": other, "url": reverse("admin:incidents_incident_change", args=[other.pk])} for other in related
        ],
        "attachments": list(IncidentAttachment.objects.filter(incident=incident).order_by("created_at", "id")),
        "relate_form": RelateForm(prefix="relate") if may_change else None,
        "attach_form": AttachForm(prefix="attach") if may_change else None,
    }


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view

    def route(suffix, name, handler):
        return path(f"<str:object_id>/{suffix}", view(require_POST(lambda r, object_id, **kw: handler(model_admin, r, object_id, **kw))), name=name)

    return [
        route("related/add/", "incidents_incident_relate", relate),
        route("related/<str:other_id>/remove/", "incidents_incident_unrelate", unrelate),
        route("attachments/add/", "incidents_incident_attach", attach),
        route("attachments/<str:attachment_id>/remove/", "incidents_incident_detach", detach),
    ]


def _back(incident: Incident) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:incidents_incident_change", args=[incident.pk]) + "#related")


def _visible_incident(request, reference: str) -> Incident | None:
    number = reference.strip().upper().removeprefix("INC-")
    return selectors.find_incident(restricted(Incident.objects.all(), request.user), number)


def relate(model_admin, request, object_id):
    incident = changeable_incident(model_admin, request, object_id)
    form = RelateForm(request.POST, prefix="relate")
    other = _visible_incident(request, form.data.get("relate-reference", "")) if form.is_valid() else None
    if other is None:
        model_admin.message_user(request, "No incident you may see has that reference.", messages.ERROR)
        return _back(incident)
    try:
        services.relate_incidents(incident=incident, other=other, actor=request.user)
    except DomainError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
    else:
        model_admin.message_user(request, f"Related to {other.reference}.", messages.SUCCESS)
    return _back(incident)


def unrelate(model_admin, request, object_id, other_id):
    incident = changeable_incident(model_admin, request, object_id)
    other = restricted(Incident.objects.all(), request.user).filter(pk=other_id).first()
    if other is None:
        raise Http404
    services.unrelate_incidents(incident=incident, other=other, actor=request.user)
    model_admin.message_user(request, f"No longer related to {other.reference}.", messages.SUCCESS)
    return _back(incident)


def attach(model_admin, request, object_id):
    incident = changeable_incident(model_admin, request, object_id)
    form = AttachForm(request.POST, prefix="attach")
    if not form.is_valid():
        model_admin.message_user(request, "An attachment needs a kind and an http(s) link.", messages.ERROR)
        return _back(incident)
    try:
        services.attach_resource(incident=incident, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
    else:
        model_admin.message_user(request, "Attached.", messages.SUCCESS)
    return _back(incident)


def detach(model_admin, request, object_id, attachment_id):
    incident = changeable_incident(model_admin, request, object_id)
    attachment = IncidentAttachment.objects.filter(incident=incident, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    services.detach_resource(attachment=attachment, actor=request.user)
    model_admin.message_user(request, "Attachment removed.", messages.SUCCESS)
    return _back(incident)
