"""Which villages may this user touch? The one rule the admin, its lookups, actions, exports and files all ask."""

from django.db.models import Q, QuerySet

from villages.models import (
    Experience,
    ExperienceImage,
    Route,
    RouteLeg,
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


def scoped(queryset: QuerySet, user, village_path: str | tuple[str, ...]) -> QuerySet:
    """`queryset` narrowed to rows whose `village_path` (e.g. "session__experience__village") is the user's.

    A tuple of paths is for rows that reach their village one way or another (an email about a booking or
    about an application): a row is the user's when any path leads to one of their villages.
    """
    if sees_everything(user):
        return queryset
    villages = villages_for(user).values("pk")
    paths = (village_path,) if isinstance(village_path, str) else village_path
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": villages})
    return queryset.filter(condition)


# How to get from each scoped model to its village. The other apps add their own models in their ready(); a model
# that reaches a village by several roads (an email about a booking or about an application) gets one per app.
SCOPE_PATHS: dict[type, tuple[str, ...]] = {}


def register_scope(model, village_path: str) -> None:
    SCOPE_PATHS[model] = (*SCOPE_PATHS.get(model, ()), village_path)


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
register_scope(Route, "village")
register_scope(RouteLeg, "route__village")
