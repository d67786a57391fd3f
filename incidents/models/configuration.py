"""Configuration staff and ``manage_settings`` keys maintain: severities, statuses and their
categories, incident types, roles, custom fields with their options, named timestamps."""

from django.db import models
from django.db.models import Q

from core.models.base import TimestampedModel, UlidModel
from core.text import multi_line, single_line


class Severity(TimestampedModel):
    name = models.CharField(max_length=50, unique=True, validators=[single_line])
    description = models.TextField(blank=True, validators=[multi_line])
    rank = models.PositiveIntegerField(default=0, help_text="Higher is more severe.")

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "severities"

    def __str__(self):
        return self.name


class StatusCategory(models.TextChoices):
    TRIAGE = "triage"
    DECLINED = "declined"
    MERGED = "merged"
    CANCELED = "canceled"
    LIVE = "live"
    LEARNING = "learning"
    CLOSED = "closed"
    PAUSED = "paused"


class IncidentStatus(TimestampedModel):
    name = models.CharField(max_length=50, unique=True, validators=[single_line])
    description = models.TextField(blank=True, validators=[multi_line])
    category = models.CharField(max_length=16, choices=StatusCategory.choices)
    rank = models.PositiveIntegerField(default=0, help_text="Order within the lifecycle.")

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "incident statuses"

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.category in (StatusCategory.TRIAGE, StatusCategory.LIVE, StatusCategory.PAUSED)


class CreateInTriage(models.TextChoices):
    ALWAYS = "always"
    OPTIONAL = "optional"


class IncidentType(TimestampedModel):
    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    description = models.TextField(blank=True, validators=[multi_line])
    is_default = models.BooleanField(default=False)
    private_incidents_only = models.BooleanField(default=False)
    create_in_triage = models.CharField(
        max_length=10, choices=CreateInTriage.choices, default=CreateInTriage.OPTIONAL
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # At most one default type, so "the default" is never ambiguous.
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_incident_type"
            )
        ]

    def __str__(self):
        return self.name


class RoleType(models.TextChoices):
    LEAD = "lead"
    REPORTER = "reporter"
    CUSTOM = "custom"


class IncidentRole(TimestampedModel):
    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    shortform = models.CharField(max_length=50, validators=[single_line])
    description = models.TextField(validators=[multi_line])
    instructions = models.TextField(blank=True, validators=[multi_line])
    role_type = models.CharField(max_length=10, choices=RoleType.choices, default=RoleType.CUSTOM)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The lead and the reporter are singletons the lifecycle relies on.
            models.UniqueConstraint(
                fields=["role_type"], condition=~Q(role_type="custom"), name="one_lead_one_reporter_role"
            )
        ]

    def __str__(self):
        return self.name


class FieldType(models.TextChoices):
    SINGLE_SELECT = "single_select"
    MULTI_SELECT = "multi_select"
    TEXT = "text"
    LINK = "link"
    NUMERIC = "numeric"


class FieldRequired(models.TextChoices):
    NEVER = "never"
    BEFORE_CLOSURE = "before_closure"
    ALWAYS = "always"


class CustomField(TimestampedModel):
    name = models.CharField(max_length=50, unique=True, validators=[single_line])
    description = models.TextField(blank=True, validators=[multi_line])
    field_type = models.CharField(max_length=16, choices=FieldType.choices)
    required = models.CharField(max_length=16, choices=FieldRequired.choices, default=FieldRequired.NEVER)
    show_before_creation = models.BooleanField(default=True)
    show_before_closure = models.BooleanField(default=True)
    show_before_update = models.BooleanField(default=True)
    show_in_announcement_post = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_select(self) -> bool:
        return self.field_type in (FieldType.SINGLE_SELECT, FieldType.MULTI_SELECT)


class CustomFieldOption(UlidModel):
    custom_field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(max_length=255, validators=[single_line])
    sort_key = models.IntegerField(default=1000)

    class Meta:
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["custom_field", "value"], name="unique_option_value_per_field")
        ]

    def __str__(self):
        return self.value


class IncidentTimestamp(UlidModel):
    """A named moment in an incident's life ("Reported at", "Resolved at", ...).

    ``slug`` marks the ones the lifecycle sets by itself; staff may add more.
    """

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=50, unique=True, null=True, blank=True)
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rank", "id"]

    def __str__(self):
        return self.name
