"""A visitor's booking of seats on a dated session."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from villages.models import MONEY, Session


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
    moved_from = models.ForeignKey(
        Session,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings_moved_away",
        verbose_name=_("moved from"),
        help_text=_("The session it was last moved from (by the visitor, or rebooked after a cancellation)."),
    )
    moved_at = models.DateTimeField(_("moved at"), null=True, blank=True)
    rebooked_from = models.ForeignKey(
        Session,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rebooked_bookings",
        verbose_name=_("rebooked from"),
        help_text=_("The session the village called off, from which the visitor rebooked this booking."),
    )
    # Raised by every move: calendar apps replace the event of the same UID with the higher SEQUENCE.
    calendar_sequence = models.PositiveSmallIntegerField(default=0, editable=False)
    source = models.CharField(
        _("came from"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("Where the booking started: live:<id> for a live stream's page; empty for the site itself."),
    )
    privacy_version = models.CharField(
        _("privacy notice shown"), max_length=20, blank=True, help_text=_("The version of the privacy notice.")
    )
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        help_text=_("Name and contact details replaced by a marker: kept no longer than needed, or erased on request."),
    )

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
            models.CheckConstraint(condition=Q(source="") | Q(source__startswith="live:"), name="booking_source_known"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="booking_status_created_idx"),
            # The caps per person look bookings up by email (any letter case: Django's iexact is UPPER = UPPER)
            # and by phone.
            models.Index(Upper("email"), name="booking_email_upper_idx"),
            models.Index(fields=["phone"], name="booking_phone_idx"),
            # Bookings per live stream, on the operators' dashboard.
            models.Index(fields=["source"], condition=~Q(source=""), name="booking_source_idx"),
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
    def cancellation_deadline(self):
        """Until when the visitor may cancel online: the session start less the experience's window."""
        return self.session.starts_at - timedelta(hours=self.session.experience.cancellation_window_hours)

    @property
    def rebookable(self) -> bool:
        """Cancelled by the village with its whole session: the visitor may move the party to another session. A party
        the village had removed on its own before calling the session off is not invited back."""
        session = self.session
        return (
            self.status == self.Status.CANCELLED
            and self.cancelled_by == self.CancelledBy.OPERATOR
            and session.status == Session.Status.CANCELLED
            and (session.cancelled_at is None or self.cancelled_at is None or self.cancelled_at >= session.cancelled_at)
        )


class WaitlistEntry(models.Model):
    """A party waiting for seats of a full session. When seats free up, the earliest entry whose whole party fits is
    offered them: held (counted as taken) until `offer_expires_at`, then claimed as a booking or passed on."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered seats")
        BOOKED = "booked", _("Booked")
        LAPSED = "lapsed", _("Offer lapsed")
        LEFT = "left", _("Left the list")

    ACTIVE = (Status.WAITING, Status.OFFERED)

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    session = models.ForeignKey(Session, models.PROTECT, related_name="waitlist", verbose_name=_("session"))
    adults = models.PositiveSmallIntegerField(_("adults"))
    children = models.PositiveSmallIntegerField(_("children"), default=0)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, help_text=_("Booked, lapsed or left."))
    booking = models.OneToOneField(
        Booking, models.SET_NULL, null=True, blank=True, related_name="waitlist_entry", verbose_name=_("booking")
    )
    privacy_version = models.CharField(_("privacy notice shown"), max_length=20, blank=True)
    personal_data_removed_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        constraints = [
            models.CheckConstraint(condition=Q(adults__gt=0) | Q(children__gt=0), name="waitlist_entry_has_people"),
            # One place in a session's list per email address, whatever its letter case.
            models.UniqueConstraint(
                Upper("email"),
                "session",
                condition=Q(status__in=["waiting", "offered"]),
                name="one_active_waitlist_entry_per_email_and_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="waitlist_offer_has_an_end"
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="waitlist_session_status_idx")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        """The visitor's page of the entry; the token in it is the only key."""
        return reverse("bookings:waitlist", args=[self.reference]) + f"?token={self.token}"

    @property
    def seats(self) -> int:
        return self.adults + self.children
