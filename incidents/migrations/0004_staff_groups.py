"""The staff groups (viewers, responders, managers). On a fresh database the permissions
do not exist yet when this runs (Django creates them after ``migrate``); the
``post_migrate`` receiver in ``incidents.apps`` gives the groups theirs then, and again
whenever a migration adds a model."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from incidents.services.groups import sync_staff_groups

    sync_staff_groups(apps=apps)


def remove_groups(apps, schema_editor):
    from incidents.services.groups import GROUP_NAMES

    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_api_key_previous_token"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
