"""Residency programmes (from villages) and applications (from bookings) now live in the residency app."""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import residency.storage
from django.db import migrations, models

from core.contenttypes import move_content_type


MOVED = [('residencyprogram', 'villages', 'residency'), ('residencyapplication', 'bookings', 'residency')]  # (model, from app, to app)


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
        ('villages', '0005_moved_from_villages_and_bookings'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app holds the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ResidencyProgram',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(unique=True, verbose_name='slug')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('name_zh_hans', models.CharField(max_length=120, null=True, verbose_name='name')),
                        ('name_en', models.CharField(max_length=120, null=True, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('starts_on', models.DateField(verbose_name='cohort starts on')),
                        ('ends_on', models.DateField(verbose_name='cohort ends on')),
                        ('places', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='places')),
                        ('places_accepted', models.PositiveSmallIntegerField(default=0, editable=False, help_text='Places given to accepted applicants; kept by the application services.', verbose_name='places accepted')),
                        ('monthly_fee', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(0)], verbose_name='monthly fee (CNY)')),
                        ('accommodation', models.TextField(blank=True, verbose_name='accommodation')),
                        ('accommodation_zh_hans', models.TextField(blank=True, null=True, verbose_name='accommodation')),
                        ('accommodation_en', models.TextField(blank=True, null=True, verbose_name='accommodation')),
                        ('coworking_desk', models.BooleanField(default=False, verbose_name='coworking desk included')),
                        ('internet_mbps', models.PositiveIntegerField(blank=True, null=True, verbose_name='internet speed (Mbps)')),
                        ('meals', models.TextField(blank=True, verbose_name='meals')),
                        ('meals_zh_hans', models.TextField(blank=True, null=True, verbose_name='meals')),
                        ('meals_en', models.TextField(blank=True, null=True, verbose_name='meals')),
                        ('applications_open_at', models.DateTimeField(verbose_name='applications open at')),
                        ('applications_close_at', models.DateTimeField(verbose_name='applications close at')),
                        ('working_languages', models.CharField(blank=True, help_text='For example: 中文、English.', max_length=120, verbose_name='working languages')),
                        ('working_languages_zh_hans', models.CharField(blank=True, help_text='For example: 中文、English.', max_length=120, null=True, verbose_name='working languages')),
                        ('working_languages_en', models.CharField(blank=True, help_text='For example: 中文、English.', max_length=120, null=True, verbose_name='working languages')),
                        ('is_published', models.BooleanField(default=False, verbose_name='published')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('village', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='residency_programs', to='villages.village', verbose_name='village')),
                    ],
                    options={
                        'verbose_name': 'residency programme',
                        'verbose_name_plural': 'residency programmes',
                        'db_table': 'villages_residencyprogram',
                        'ordering': ['starts_on', 'slug'],
                    },
                ),
                migrations.CreateModel(
                    name='ResidencyApplication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(editable=False, max_length=12, unique=True, verbose_name='reference')),
                        ('token', models.CharField(editable=False, max_length=64, unique=True)),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('nationality', models.CharField(help_text='ISO 3166-1 country code.', max_length=2, verbose_name='nationality')),
                        ('profession', models.CharField(max_length=100, verbose_name='profession')),
                        ('skills', models.TextField(max_length=1000, verbose_name='skills')),
                        ('portfolio_url', models.URLField(blank=True, verbose_name='portfolio')),
                        ('cv', models.FileField(max_length=200, storage=residency.storage.PrivateStorage(), upload_to=residency.storage.cv_path, verbose_name='CV (PDF)')),
                        ('arrival_date', models.DateField(verbose_name='arrival date')),
                        ('stay_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(24)], verbose_name='stay (months)')),
                        ('proposal', models.TextField(max_length=5000, validators=[django.core.validators.MinLengthValidator(100)], verbose_name='what they will bring to the village')),
                        ('consent_given_at', models.DateTimeField(verbose_name='consented to data processing at')),
                        ('language', models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], max_length=10, verbose_name='language')),
                        ('status', models.CharField(choices=[('submitted', 'Submitted'), ('under_review', 'Under review'), ('accepted', 'Accepted'), ('waitlisted', 'Waitlisted'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], default='submitted', max_length=12, verbose_name='status')),
                        ('decision_message', models.TextField(blank=True, help_text='Sent with the decision.', max_length=2000, verbose_name='message to the applicant')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='review started at')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn at')),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='residency.residencyprogram', verbose_name='residency programme')),
                    ],
                    options={
                        'verbose_name': 'residency application',
                        'verbose_name_plural': 'residency applications',
                        'db_table': 'bookings_residencyapplication',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='residencyprogram',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('starts_on'))), name='residency_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='residencyprogram',
                    constraint=models.CheckConstraint(condition=models.Q(('places__gte', 1)), name='residency_places_positive'),
                ),
                migrations.AddConstraint(
                    model_name='residencyprogram',
                    constraint=models.CheckConstraint(condition=models.Q(('places_accepted__lte', models.F('places'))), name='residency_never_overfilled'),
                ),
                migrations.AddConstraint(
                    model_name='residencyprogram',
                    constraint=models.CheckConstraint(condition=models.Q(('monthly_fee__gte', 0)), name='residency_fee_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='residencyprogram',
                    constraint=models.CheckConstraint(condition=models.Q(('applications_close_at__gt', models.F('applications_open_at'))), name='residency_applications_close_after_open'),
                ),
                migrations.AddIndex(
                    model_name='residencyapplication',
                    index=models.Index(fields=['program', 'status'], name='application_program_status_idx'),
                ),
                migrations.AddConstraint(
                    model_name='residencyapplication',
                    constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('program'), name='one_application_per_email_and_program'),
                ),
                migrations.AddConstraint(
                    model_name='residencyapplication',
                    constraint=models.CheckConstraint(condition=models.Q(('stay_months__gte', 1)), name='application_stays_a_month_or_more'),
                ),
                migrations.AddConstraint(
                    model_name='residencyapplication',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['accepted', 'waitlisted', 'rejected']), _negated=True), ('decided_at__isnull', False), _connector='OR'), name='application_decision_dated'),
                ),
                migrations.AddConstraint(
                    model_name='residencyapplication',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), ('withdrawn_at__isnull', False), _connector='OR'), name='application_withdrawal_dated'),
                ),
            ],
        ),
        migrations.RunPython(move, move_back),
    ]
