"""For migrations that move a model to another app without touching its table: the model's content type moves
too, so its permissions (and the groups that hold them) and the admin's history of its rows follow it."""


def move_content_type(apps, model: str, from_app: str, to_app: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=from_app, model=model).first()
    if old is None:
        return  # a new database: the content type will be made for the new app
    new = ContentType.objects.filter(app_label=to_app, model=model).first()
    if new is None:
        old.app_label = to_app
        old.save(update_fields=["app_label"])
        return
    # Both exist (content types were made for the new app before this ran): keep the new one, bring everything over.
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type=old):
        twin, _created = Permission.objects.get_or_create(
            content_type=new, codename=permission.codename, defaults={"name": permission.name}
        )
        for group in permission.group_set.all():
            group.permissions.add(twin)
        for user in permission.user_set.all():
            user.user_permissions.add(twin)
    apps.get_model("admin", "LogEntry").objects.filter(content_type=old).update(content_type=new)
    old.delete()
