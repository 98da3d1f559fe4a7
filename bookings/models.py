"""What visitors submit: bookings of sessions and residency applications, and the outbox of emails about them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bookings.storage import cv_path, private_storage
from villages.models import MONEY, ResidencyProgram, Session


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelledBy(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        OPERATOR = "operator", _("Operator")

    # Statuses whose seats count against the session's capacity.
    HOLDING_SEATS = (Status.PENDING, Status.CONFIRMED, Status.CHECKED_IN)
    CANCELLABLE = (Status.PENDING, Status.CONFIRMED)

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    check_in_code = models.CharField(_("check-in code"), max_length=12, unique=True, editable=False)
    session = models.ForeignKey(Session, models.PROTECT, related_name="bookings", verbose_name=_("session"))
    adults = models.PositiveSmallIntegerField(_("adults"))
    children = models.PositiveSmallIntegerField(_("children"), default=0)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20, help_text=_("Stored in international format (E.164)."))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    total_price = models.DecimalField(_("total price (CNY)"), **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    processed_at = models.DateTimeField(
        _("processed at"), null=True, blank=True, help_text=_("When the worker confirmed it or asked for approval.")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(adults__gte=0) & Q(children__gte=0), name="booking_counts_not_negative"),
            models.CheckConstraint(condition=Q(adults__gt=0) | Q(children__gt=0), name="booking_has_people"),
            models.CheckConstraint(condition=Q(total_price__gte=0), name="booking_total_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False), name="booking_cancellation_dated"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="booking_status_created_idx"),
            # The caps per person look bookings up by email (any letter case: Django's iexact is UPPER = UPPER)
            # and by phone.
            models.Index(Upper("email"), name="booking_email_upper_idx"),
            models.Index(fields=["phone"], name="booking_phone_idx"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        """The visitor's manage page; the token in it is the only key to the booking."""
        return reverse("bookings:manage", args=[self.reference]) + f"?token={self.token}"

    @property
    def seats(self) -> int:
        return self.adults + self.children

    @property
    def holds_seats(self) -> bool:
        return self.status in self.HOLDING_SEATS

    @property
    def cancellation_deadline(self):
        """Until when the visitor may cancel online: the session start less the experience's window."""
        return self.session.starts_at - timedelta(hours=self.session.experience.cancellation_window_hours)


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
    stay_months = models.PositiveSmallIntegerField(_("stay (months)"))
    proposal = models.TextField(_("what they will bring to the village"), max_length=5000)
    consent_given_at = models.DateTimeField(_("consented to data processing at"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decision_message = models.TextField(
        _("message to the applicant"), blank=True, help_text=_("Sent with the decision.")
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
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


class OutgoingEmail(models.Model):
    """The outbox: a row is written in the same transaction as the change it reports, then sent by the worker."""

    class Kind(models.TextChoices):
        BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
        BOOKING_RECEIVED = "booking_received", _("Booking received, awaiting approval")
        BOOKING_REMINDER = "booking_reminder", _("Reminder the day before")
        BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
        OPERATOR_NEW_BOOKING = "operator_new_booking", _("New booking (to the village)")
        APPLICATION_SUBMITTED = "application_submitted", _("Application received")
        APPLICATION_UNDER_REVIEW = "application_under_review", _("Application under review")
        APPLICATION_ACCEPTED = "application_accepted", _("Application accepted")
        APPLICATION_WAITLISTED = "application_waitlisted", _("Application waitlisted")
        APPLICATION_REJECTED = "application_rejected", _("Application not accepted")
        APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
        OPERATOR_NEW_APPLICATION = "operator_new_application", _("New residency application (to the village)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        OBSOLETE = "obsolete", _("Not sent: the booking was cancelled first")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    booking = models.ForeignKey(
        Booking, models.CASCADE, related_name="emails", null=True, blank=True, verbose_name=_("booking")
    )
    application = models.ForeignKey(
        ResidencyApplication,
        models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("residency application"),
    )
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            # One email of each kind per booking and recipient: the second request for it is a no-op.
            models.UniqueConstraint(fields=["booking", "kind", "recipient"], name="one_email_per_kind_and_booking"),
            models.UniqueConstraint(
                fields=["application", "kind", "recipient"], name="one_email_per_kind_and_application"
            ),
            # Every email is about exactly one thing: a booking or an application.
            models.CheckConstraint(
                condition=Q(booking__isnull=False, application__isnull=True)
                | Q(booking__isnull=True, application__isnull=False),
                name="outgoing_email_about_one_thing",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outgoing_email_sent_is_dated"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
