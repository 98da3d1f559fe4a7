"""`manage.py export_personal_data EMAIL [--output FILE]`: everything held about one address, as one JSON document
(an answer to a person's request for a copy)."""

import json

from django.core.management.base import BaseCommand

from core import personal_data


class Command(BaseCommand):
    help = "Write one JSON document of everything held about an email address (bookings, applications, emails)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", help="A file to write; standard output without it.")

    def handle(self, *args, email, output=None, **options):
        document = json.dumps(personal_data.export(email.strip()), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(document + "\n")
        else:
            self.stdout.write(document)
