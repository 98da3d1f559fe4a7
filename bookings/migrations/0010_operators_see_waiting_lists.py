"""Village operators may see their sessions' waiting lists and take a party off one (scoping is in code).

No add and no delete: entries come from visitors, and the list's history stays.
"""

from django.db import migrations

GROUP = "Village operators"
PERMISSIONS = {"bookings": {"waitlistentry": ["view", "change"]}}


def _permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("bookings", "0009_waiting_lists_and_moves")]

    operations = [migrations.RunPython(grant, revoke)]
