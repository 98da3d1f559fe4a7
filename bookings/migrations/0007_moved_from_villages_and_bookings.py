"""Residency applications and the outbox moved to their own apps (their tables stay: residency/0001, outbox/0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0006_contact_lookups'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='residencyapplication',
                    name='program',
                ),
                migrations.DeleteModel(
                    name='OutgoingEmail',
                ),
                migrations.DeleteModel(
                    name='ResidencyApplication',
                ),
            ],
        ),
    ]
