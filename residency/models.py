"""Digital-nomad residencies: a village's dated cohorts with their places, and the applications to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.storage import cv_path, private_storage
from villages.models import MONEY

MIN_PROPOSAL_CHARS = 100  # a proposal shorter than this tells the village too little to decide on
MAX_STAY_MONTHS = 24


class ResidencyProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, village__is_published=True)


class ResidencyProgram(models.Model):
    """A dated cohort of a village's digital-nomad residency (数字游民国际村), with its places and terms."""

    # What a cohort offers besides the dates and the fee: one list for the admin, its form and the API.
    INCLUDED = ("accommodation", "coworking_desk", "internet_mbps", "meals", "working_languages")

    village = models.ForeignKey(
        "villages.Village", models.CASCADE, related_name="residency_programs", verbose_name=_("village")
    )
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("cohort starts on"))
    ends_on = models.DateField(_("cohort ends on"))
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    places_accepted = models.PositiveSmallIntegerField(
        _("places accepted"),
        default=0,
        editable=False,
        help_text=_("Places given to accepted applicants; kept by the application services."),
    )
    monthly_fee = models.DecimalField(_("monthly fee (CNY)"), **MONEY, validators=[MinValueValidator(0)])
    accommodation = models.TextField(_("accommodation"), blank=True)
    coworking_desk = models.BooleanField(_("coworking desk included"), default=False)
    internet_mbps = models.PositiveIntegerField(_("internet speed (Mbps)"), null=True, blank=True)
    meals = models.TextField(_("meals"), blank=True)
    applications_open_at = models.DateTimeField(_("applications open at"))
    applications_close_at = models.DateTimeField(_("applications close at"))
    working_languages = models.CharField(
        _("working languages"), max_length=120, blank=True, help_text=_("For example: 中文、English.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidencyProgramQuerySet.as_manager()

    class Meta:
        db_table = "villages_residencyprogram"  # where the villages app created it
        ordering = ["starts_on", "slug"]
        verbose_name = _("residency programme")
        verbose_name_plural = _("residency programmes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="residency_ends_after_start"),
            models.CheckConstraint(condition=Q(places__gte=1), name="residency_places_positive"),
            models.CheckConstraint(
                condition=Q(places_accepted__lte=models.F("places")), name="residency_never_overfilled"
            ),
            models.CheckConstraint(condition=Q(monthly_fee__gte=0), name="residency_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=models.F("applications_open_at")),
                name="residency_applications_close_after_open",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("residency:program", args=[self.slug])

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_accepted, 0)

    def applications_open(self, now=None) -> bool:
        """Published (with its village) and within the application window; a full cohort still takes a waitlist."""
        now = now or timezone.now()
        return (
            self.is_published
            and self.village.is_published
            and self.applications_open_at <= now < self.applications_close_at
        )

    def application_status(self, now=None) -> str:
        """ "open", "upcoming" (window not yet open) or "closed"."""
        now = now or timezone.now()
        if self.applications_open(now):
            return "open"
        if now < self.applications_open_at:
            return "upcoming"
        return "closed"

    def in_residence(self, today=None) -> bool:
        """The cohort has started and not ended (Shanghai days): pages say so rather than calling for applications."""
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("A cohort must end after it starts.")
        if (
            self.applications_open_at
            and self.applications_close_at
            and self.applications_close_at <= self.applications_open_at
        ):
            errors["applications_close_at"] = _("Applications must close after they open.")
        if self.places is not None and self.places < self.places_accepted:
            errors["places"] = _("%(accepted)s places are already given; there cannot be fewer places.") % {
                "accepted": self.places_accepted
            }
        if errors:
            raise ValidationError(errors)


class ResidencyApplication(models.Model):
    """A digital nomad's application to a residency cohort. The applicant's key is the token in their status link."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Where each decision may be taken from: a waitlisted applicant can still get a place that frees up.
    DECIDABLE = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED)
    WITHDRAWABLE = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED, Status.ACCEPTED)

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    program = models.ForeignKey(
        ResidencyProgram, models.PROTECT, related_name="applications", verbose_name=_("residency programme")
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    nationality = models.CharField(_("nationality"), max_length=2, help_text=_("ISO 3166-1 country code."))
    profession = models.CharField(_("profession"), max_length=100)
    skills = models.TextField(_("skills"), max_length=1000)
    portfolio_url = models.URLField(_("portfolio"), blank=True)
    cv = models.FileField(_("CV (PDF)"), upload_to=cv_path, storage=private_storage, max_length=200)
    arrival_date = models.DateField(_("arrival date"))
    stay_months = models.PositiveSmallIntegerField(
        _("stay (months)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_STAY_MONTHS)]
    )
    proposal = models.TextField(
        _("what they will bring to the village"), max_length=5000, validators=[MinLengthValidator(MIN_PROPOSAL_CHARS)]
    )
    consent_given_at = models.DateTimeField(_("consented to data processing at"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decision_message = models.TextField(
        _("message to the applicant"), max_length=2000, blank=True, help_text=_("Sent with the decision.")
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    privacy_version = models.CharField(
        _("privacy notice shown"), max_length=20, blank=True, help_text=_("The version of the privacy notice.")
    )
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        help_text=_("Personal details replaced by a marker and the CV deleted: kept no longer than needed, or erased."),
    )

    class Meta:
        db_table = "bookings_residencyapplication"  # where the bookings app created it
        ordering = ["-created_at"]
        verbose_name = _("residency application")
        verbose_name_plural = _("residency applications")
        constraints = [
            # One application per email address and programme, whatever the letter case.
            models.UniqueConstraint(Lower("email"), "program", name="one_application_per_email_and_program"),
            models.CheckConstraint(condition=Q(stay_months__gte=1), name="application_stays_a_month_or_more"),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "waitlisted", "rejected"]) | Q(decided_at__isnull=False),
                name="application_decision_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False), name="application_withdrawal_dated"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"], name="application_program_status_idx")]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def get_absolute_url(self):
        """The applicant's status page; the token in it is the only key to the application."""
        return reverse("residency:application", args=[self.reference]) + f"?token={self.token}"

    @property
    def can_withdraw(self) -> bool:
        return self.status in self.WITHDRAWABLE
