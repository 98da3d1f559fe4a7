"""The outbox (from bookings) now lives in the outbox app."""

import django.db.models.deletion
from django.db import migrations, models

from core.contenttypes import move_content_type


MOVED = [('outgoingemail', 'bookings', 'outbox')]  # (model, from app, to app)


def move(apps, schema_editor):
    for model, from_app, to_app in MOVED:
        move_content_type(apps, model, from_app, to_app)


def move_back(apps, schema_editor):
    for model, from_app, to_app in MOVED:
        move_content_type(apps, model, to_app, from_app)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('bookings', '0007_moved_from_villages_and_bookings'),
        ('residency', '0001_moved_from_villages_and_bookings'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app holds the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutgoingEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('booking_confirmed', 'Booking confirmed'), ('booking_received', 'Booking received, awaiting approval'), ('booking_reminder', 'Reminder the day before'), ('booking_cancelled', 'Booking cancelled'), ('operator_new_booking', 'New booking (to the village)'), ('application_submitted', 'Application received'), ('application_under_review', 'Application under review'), ('application_accepted', 'Application accepted'), ('application_waitlisted', 'Application waitlisted'), ('application_rejected', 'Application not accepted'), ('application_withdrawn', 'Application withdrawn'), ('operator_new_application', 'New residency application (to the village)')], max_length=30, verbose_name='kind')),
                        ('recipient', models.EmailField(max_length=254, verbose_name='recipient')),
                        ('language', models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], max_length=10, verbose_name='language')),
                        ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('obsolete', 'Not sent: the booking was cancelled first')], default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('next_attempt_at', models.DateTimeField(verbose_name='next attempt at')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='emails', to='residency.residencyapplication', verbose_name='residency application')),
                        ('booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='emails', to='bookings.booking', verbose_name='booking')),
                    ],
                    options={
                        'verbose_name': 'outgoing email',
                        'verbose_name_plural': 'outgoing emails',
                        'db_table': 'bookings_outgoingemail',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outgoing_email_due_idx')],
                        'constraints': [models.UniqueConstraint(fields=('booking', 'kind', 'recipient'), name='one_email_per_kind_and_booking'), models.UniqueConstraint(fields=('application', 'kind', 'recipient'), name='one_email_per_kind_and_application'), models.CheckConstraint(condition=models.Q(models.Q(('application__isnull', True), ('booking__isnull', False)), models.Q(('application__isnull', False), ('booking__isnull', True)), _connector='OR'), name='outgoing_email_about_one_thing'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='outgoing_email_sent_is_dated')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move, move_back),
    ]
