"""Which villages may this user touch? The one rule the admin, its lookups, actions, exports and files all ask."""

from django.db.models import QuerySet

from villages.models import (
    Experience,
    ExperienceImage,
    ResidencyProgram,
    Session,
    Venue,
    Village,
    VillageHonour,
    VillageImage,
    VillageMembership,
)

OPERATORS_GROUP = "Village operators"


def sees_everything(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def villages_for(user) -> QuerySet[Village]:
    """The villages this user operates: all of them for platform admins, their memberships' for operators."""
    if not (user and user.is_authenticated and user.is_active):
        return Village.objects.none()
    if sees_everything(user):
        return Village.objects.all()
    return Village.objects.filter(memberships__user=user)


def scoped(queryset: QuerySet, user, village_path: str) -> QuerySet:
    """`queryset` narrowed to rows whose `village_path` (e.g. "session__experience__village") is the user's."""
    if sees_everything(user):
        return queryset
    return queryset.filter(**{f"{village_path}__in": villages_for(user).values("pk")})


def may_touch_village(user, village_id) -> bool:
    return village_id is not None and villages_for(user).filter(pk=village_id).exists()


# How to get from each scoped model to its village. The bookings app adds its own models.
SCOPE_PATHS: dict[type, str] = {}


def register_scope(model, village_path: str) -> None:
    SCOPE_PATHS[model] = village_path


def scoped_for(model, user, queryset: QuerySet | None = None) -> QuerySet:
    """All rows of a registered model that the user may touch."""
    return scoped(model._default_manager.all() if queryset is None else queryset, user, SCOPE_PATHS[model])


register_scope(Village, "pk")
register_scope(VillageMembership, "village")
register_scope(VillageHonour, "village")
register_scope(VillageImage, "village")
register_scope(Venue, "village")
register_scope(Experience, "village")
register_scope(ExperienceImage, "experience__village")
register_scope(Session, "experience__village")
register_scope(ResidencyProgram, "village")
