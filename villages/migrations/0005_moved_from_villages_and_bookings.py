"""Residency programmes moved to the residency app (their table stays: residency/migrations/0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0007_moved_from_villages_and_bookings'),
        ('villages', '0004_residency_programs'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ResidencyProgram',
                ),
            ],
        ),
    ]
