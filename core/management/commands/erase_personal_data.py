"""`manage.py erase_personal_data EMAIL [--cancel-upcoming]`: a person's request to be forgotten."""

from django.core.management.base import BaseCommand, CommandError

from core import personal_data


class Command(BaseCommand):
    help = (
        "Anonymise everything held about an email address and delete its CVs. Refused while a booking or an "
        "application is still to come, unless --cancel-upcoming (cancelled through the services, the person emailed "
        "first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--cancel-upcoming", action="store_true", help="Cancel what is still to come first.")

    def handle(self, *args, email, cancel_upcoming=False, **options):
        try:
            counts = personal_data.erase(email.strip(), cancel_upcoming=cancel_upcoming)
        except personal_data.UpcomingRefusal as refusal:
            for item in refusal.upcoming:
                self.stderr.write(f"still to come: {item}")
            raise CommandError(
                "Nothing was changed. Cancel these first, or run again with --cancel-upcoming."
            ) from None
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} erased")
