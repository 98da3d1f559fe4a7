"""The "Village operators" group: what an operator may do in the admin. Scoping to their villages is in code."""

from django.db import migrations

GROUP = "Village operators"
PERMISSIONS = {
    "villages": {
        "village": ["view", "change"],
        "villagehonour": ["view", "add", "change", "delete"],
        "villageimage": ["view", "add", "change", "delete"],
        "venue": ["view", "add", "change", "delete"],
        "experience": ["view", "add", "change"],
        "experienceimage": ["view", "add", "change", "delete"],
        "session": ["view", "add", "change"],
        "district": ["view"],
        "town": ["view"],
        "honour": ["view"],
        "organisation": ["view"],
    },
    "bookings": {
        "booking": ["view", "change"],
        "outgoingemail": ["view", "change"],
    },
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("bookings", "0001_bookings_and_outbox"),
        ("villages", "0003_village_memberships"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
