"""`manage.py purge_personal_data [--dry-run]`: what the daily beat task does, by hand."""

from django.core.management.base import BaseCommand

from core import personal_data


class Command(BaseCommand):
    help = "Replace personal data kept past its retention by a marker, delete such CVs. Nothing still to come."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = personal_data.purge(dry_run=dry_run)
        done = "would be anonymised" if dry_run else "anonymised"
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} {done}")
