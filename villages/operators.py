"""An operator account: staff, in the operators' group, a member of its villages. create_operator and the demo make
them here."""

from django.contrib.auth.models import Group
from django.db import transaction

from villages.models import VillageMembership
from villages.scoping import OPERATORS_GROUP


def save_operator(user, villages, *, role: str, password: str | None = None):
    """Save `user` as an operator of `villages` with `role`; a new account without a password gets an unusable one
    (its owner sets it through an emailed link)."""
    with transaction.atomic():
        user.is_staff = True
        if password is not None:
            user.set_password(password)
        elif not user.pk:
            user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=OPERATORS_GROUP))
        for village in villages:
            VillageMembership.objects.update_or_create(user=user, village=village, defaults={"role": role})
    return user
