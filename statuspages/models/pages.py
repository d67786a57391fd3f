"""Status pages and what they show: components (shared by every page, as incident.io's and
Checkly's are), the groups a page arranges them in, and each page's placement of them."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from core.models import TimestampedModel, UlidModel

from . import limits

_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour as #rrggbb")


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a time zone (Europe/Paris, America/New_York, UTC...)")


class UptimeDisplay(models.TextChoices):
    CHART_AND_PERCENTAGE = "chart_and_percentage"
    CHART_ONLY = "chart_only"
    NOTHING = "nothing"


class StatusPage(TimestampedModel):
    """A public (or staff-only) page at /status/<slug>/."""

    name = models.CharField(max_length=limits.PAGE_NAME, validators=limits.name_validators(limits.PAGE_NAME))
    slug = models.SlugField(max_length=100, unique=True, help_text="The page's address: /status/<slug>/")
    description = models.TextField(blank=True, validators=limits.text_validators(limits.DESCRIPTION))
    is_public = models.BooleanField(
        default=True, help_text="Anyone may read a public page; a private one only logged-in staff"
    )
    is_default = models.BooleanField(default=False, help_text="Served at /status/ as well")
    logo_url = models.URLField(max_length=500, blank=True)
    brand_colour = models.CharField(max_length=7, default="#1f6feb", validators=[_colour])
    support_url = models.URLField(max_length=500, blank=True, help_text="Where the page's 'Get help' link goes")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[_validate_time_zone])
    display_uptime = models.CharField(
        max_length=24, choices=UptimeDisplay.choices, default=UptimeDisplay.CHART_AND_PERCENTAGE
    )
    default_language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language of readers whose browser asks for none the site speaks, and of subscribers' emails",
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Two pages cannot both answer /status/.
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_status_page"),
        ]

    def __str__(self):
        return self.name


class Component(TimestampedModel):
    """Something customers use (the API, the dashboard, payments). Components belong to
    the organisation, not to a page: a page places them (``PageComponent``). A component's
    status is never stored: it is derived from its open impacts and maintenance."""

    name = models.CharField(max_length=limits.NAME, validators=limits.name_validators(limits.NAME))
    description = models.TextField(blank=True, validators=limits.text_validators(limits.DESCRIPTION))
    link = models.URLField(max_length=500, blank=True)
    enabled = models.BooleanField(default=True, help_text="Disabled components are not shown on any page")
    #: the integer id Cachet's dialect shows (statuspages/api/cachet)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ComponentGroup(TimestampedModel):
    """A heading on one page, gathering some of its components."""

    status_page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=limits.NAME, validators=limits.name_validators(limits.NAME))
    description = models.TextField(blank=True, validators=limits.text_validators(limits.DESCRIPTION))
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    collapsed = models.BooleanField(default=False, help_text="Shown folded on the page until opened")
    display_aggregated_uptime = models.BooleanField(default=True)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class PageComponent(UlidModel):
    """Where a page shows a component: in which group (or at the top level), in what order."""

    status_page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="placements")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(ComponentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements")
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    display_uptime = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["status_page", "component"], name="one_placement_per_page"),
        ]

    def __str__(self):
        return f"{self.component} on {self.status_page}"

    def clean(self):
        if self.group_id and self.group.status_page_id != self.status_page_id:
            raise ValidationError({"group": "The group belongs to another page"})
