"""The outbox: every email the site sends is a row here first, written in the transaction of the change it reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """The outbox: a row is written in the same transaction as the change it reports, then sent by the worker."""

    class Kind(models.TextChoices):
        BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
        BOOKING_RECEIVED = "booking_received", _("Booking received, awaiting approval")
        BOOKING_REMINDER = "booking_reminder", _("Reminder the day before")
        BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
        OPERATOR_NEW_BOOKING = "operator_new_booking", _("New booking (to the village)")
        BOOKING_MOVED = "booking_moved", _("Booking moved to another session")
        WAITLIST_JOINED = "waitlist_joined", _("On the waiting list")
        WAITLIST_OFFER = "waitlist_offer", _("Seats offered from the waiting list")
        WAITLIST_OFFER_LAPSED = "waitlist_offer_lapsed", _("Waiting-list offer lapsed")
        WAITLIST_CLOSED = "waitlist_closed", _("Waiting list closed: session called off")
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
    # By string: the apps whose rows the emails are about depend on the outbox, never the other way round.
    booking = models.ForeignKey(
        "bookings.Booking", models.CASCADE, related_name="emails", null=True, blank=True, verbose_name=_("booking")
    )
    application = models.ForeignKey(
        "residency.ResidencyApplication",
        models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("residency application"),
    )
    waitlist_entry = models.ForeignKey(
        "bookings.WaitlistEntry",
        models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("waiting-list entry"),
    )
    # A kind sent again about the same row (a booking moved twice) is a new revision, a new email.
    revision = models.PositiveSmallIntegerField(default=0)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(
        _("recipient removed at"), null=True, blank=True, help_text=_("The address is not kept once it served.")
    )

    class Meta:
        db_table = "bookings_outgoingemail"  # where the bookings app created it
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            # One email of each kind (and revision) per row and recipient: the second request for it is a no-op.
            models.UniqueConstraint(
                fields=["booking", "kind", "recipient", "revision"], name="one_email_per_kind_and_booking"
            ),
            models.UniqueConstraint(
                fields=["application", "kind", "recipient"], name="one_email_per_kind_and_application"
            ),
            models.UniqueConstraint(
                fields=["waitlist_entry", "kind", "recipient", "revision"], name="one_email_per_kind_and_entry"
            ),
            # Every email is about exactly one thing: a booking, an application or a waiting-list entry.
            models.CheckConstraint(
                condition=Q(booking__isnull=False, application__isnull=True, waitlist_entry__isnull=True)
                | Q(booking__isnull=True, application__isnull=False, waitlist_entry__isnull=True)
                | Q(booking__isnull=True, application__isnull=True, waitlist_entry__isnull=False),
                name="outgoing_email_about_one_thing",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outgoing_email_sent_is_dated"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
