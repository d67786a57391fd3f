"""The staff groups every installation starts with, named for what their members do:

- ``Incident viewers`` look at everything (incidents, configuration, status pages) and
  change nothing; API keys (and who signs in as whom) stay out of sight;
- ``Incident responders`` also declare incidents, post updates, assign roles, set custom
  fields and timestamps, and publish to status pages;
- ``Incident managers`` also change the configuration (severities, statuses, types, roles,
  custom fields, status pages and components), delete incidents, manage API keys, and
  see every private incident (``manage_private_incidents``; the others see a private
  incident only as one of its members), and read the audit log.

The rule is written per kind of model, not per permission, so a model added later falls
in by itself: a data migration creates the groups, and ``sync_staff_groups`` runs again
after every ``migrate`` (a ``post_migrate`` receiver), once the new models' permissions
exist. It only adds: permissions staff gave a group by hand are kept.
"""

from django.apps import apps as global_apps

VIEWERS = "Incident viewers"
RESPONDERS = "Incident responders"
MANAGERS = "Incident managers"
GROUP_NAMES = (VIEWERS, RESPONDERS, MANAGERS)

APPS = ("core", "incidents", "statuspages", "alerts", "notifications", "audit")
# Who may hold a key decides what the API allows, and who signs in as whom through the
# identity provider decides who works here: only managers see or touch these; and only
# managers read the audit log (docs/audit-log.md).
KEYS = {("core", "apikey"), ("core", "provideridentity"), ("audit", "auditentry")}
# Internal bookkeeping nobody edits by hand.
INTERNAL = {("incidents", "counter")}
# What running an incident changes (the incident, what hangs off it, and what customers
# are told); responders add, change and delete these, except deleting a whole incident.
OPERATIONAL = {
    ("incidents", "incident"),
    ("incidents", "incidentupdate"),
    ("incidents", "incidentroleassignment"),
    ("incidents", "customfieldvalue"),
    ("incidents", "incidenttimestampvalue"),
    ("incidents", "followup"),
    ("statuspages", "pageincident"),
    ("statuspages", "pageincidentupdate"),
    ("statuspages", "updatecomponentstatus"),
    ("statuspages", "componentimpact"),
    ("statuspages", "maintenance"),
    ("statuspages", "maintenanceupdate"),
}
MANAGER_ONLY_ACTIONS = {("incidents", "incident", "delete")}


def _grants(app_label: str, model: str, action: str) -> set[str]:
    """The groups that hold ``<action>_<model>`` of ``app_label``."""
    key = (app_label, model)
    if key in INTERNAL:
        return set()
    if key in KEYS:
        return {MANAGERS}
    if action == "view":
        return {VIEWERS, RESPONDERS, MANAGERS}
    if action == "custom":  # seeing every private incident, say
        return {MANAGERS}
    if key in OPERATIONAL and (app_label, model, action) not in MANAGER_ONLY_ACTIONS:
        return {RESPONDERS, MANAGERS}
    return {MANAGERS}


def sync_staff_groups(*, apps=global_apps) -> None:
    """Create the three groups if missing and give each the permissions its name promises
    for every model of our apps (``apps``: the historical registry in a migration)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES}
    wanted: dict[str, list[int]] = {name: [] for name in GROUP_NAMES}
    permissions = Permission.objects.filter(content_type__app_label__in=APPS).values_list(
        "id", "codename", "content_type__app_label", "content_type__model"
    )
    for pk, codename, app_label, model in permissions:
        action, _, rest = codename.partition("_")
        if rest != model:  # a model's own extra permission: managers decide who gets it
            action = "custom"
        for name in _grants(app_label, model, action):
            wanted[name].append(pk)
    for name, group in groups.items():
        group.permissions.add(*wanted[name])
