"""`manage.py create_operator USERNAME --village SLUG [--village SLUG] [--role R] [--email E] --password P`"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from villages.models import Village, VillageMembership
from villages.scoping import OPERATORS_GROUP


class Command(BaseCommand):
    help = "Create or update an operator account that manages the given villages in the admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--village", action="extend", nargs="+", required=True, help="Village slug; repeat for several."
        )
        parser.add_argument("--role", choices=VillageMembership.Role.values, default=VillageMembership.Role.STAFF)
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Asked for when omitted and a person is at the terminal.")

    def handle(self, *args, username, village, role, email, password, **options):
        villages = list(Village.objects.filter(slug__in=village))
        unknown = sorted(set(village) - {found.slug for found in villages})
        if unknown:
            raise CommandError(f"No village with slug: {', '.join(unknown)}")
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError("Give --password, or run the command at a terminal to be asked for one.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user.email = email or user.email
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=OPERATORS_GROUP))
            for each in villages:
                VillageMembership.objects.update_or_create(user=user, village=each, defaults={"role": role})
        names = ", ".join(each.slug for each in villages)
        self.stdout.write(self.style.SUCCESS(f"{username} operates {names} as {role}."))
