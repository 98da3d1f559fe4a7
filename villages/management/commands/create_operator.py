"""`manage.py create_operator USERNAME --village SLUG [--village SLUG] [--role R] [--email E]
[--password-file PATH | --send-link]`: the password is typed at the terminal, read from a file, or set by the
operator through an emailed link. Never on the command line, where the shell's history and `ps` would show it."""

import getpass
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from villages.models import Village, VillageMembership
from villages.operators import save_operator


class Command(BaseCommand):
    help = "Create or update an operator account that manages the given villages in the admin."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # No abbreviations: `--password S3cret` must be refused, not read as `--password-file S3cret`.
        return super().create_parser(prog_name, subcommand, allow_abbrev=False, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--village", action="extend", nargs="+", required=True, help="Village slug; repeat for several."
        )
        parser.add_argument("--role", choices=VillageMembership.Role.values, default=VillageMembership.Role.STAFF)
        parser.add_argument("--email", default="")
        how = parser.add_mutually_exclusive_group()
        how.add_argument("--password-file", help="A file whose first line is the password (e.g. from a secret store).")
        how.add_argument(
            "--send-link", action="store_true", help="Email the operator a link to set their own password (--email)."
        )

    def handle(self, *args, username, village, role, email, password_file=None, send_link=False, **options):
        villages = list(Village.objects.filter(slug__in=village))
        unknown = sorted(set(village) - {found.slug for found in villages})
        if unknown:
            raise CommandError(f"No village with slug: {', '.join(unknown)}")
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        user.email = email or user.email
        if send_link and not user.email:
            raise CommandError("--send-link needs the operator's --email.")
        password = None if send_link else self.password(password_file)
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        save_operator(user, villages, role=role, password=password)
        if send_link:
            self.send_link(user)
        names = ", ".join(each.slug for each in villages)
        self.stdout.write(self.style.SUCCESS(f"{username} operates {names} as {role}."))

    def password(self, password_file) -> str:
        if password_file:
            lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            return lines[0] if lines else ""
        if not sys.stdin.isatty():
            raise CommandError("Give --password-file or --send-link, or run the command at a terminal to be asked.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password

    def send_link(self, user) -> None:
        """A one-off link (Django's password-reset token: it stops working once the password is set)."""
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse(
                "set_password",
                args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
            )
            subject = translation.gettext("Set your password for the villages' admin")
            body = translation.gettext(
                "An account has been made for you in the admin of %(site)s. Set your password here (the link works "
                "once):\n\n%(link)s\n"
            ) % {"site": settings.SITE_URL, "link": settings.SITE_URL + path}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        self.stdout.write(f"A link to set the password was emailed to {user.username}.")
