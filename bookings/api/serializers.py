"""Shapes of the booking API. The request serializer checks only types and sizes; every booking rule (who may
book what, how many, with which contact details) is bookings.services.create_booking's, so the API, the web form
and the admin refuse the same things with the same messages.

Prices are strings with two decimals, datetimes ISO 8601 in Shanghai time (+08:00), `manage_url` is absolute.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bookings import services
from bookings.models import Booking, WaitlistEntry
from bookings.selectors import waitlist_position
from core.api import NamedEnumField, PrivateLinkField, ReadOnlyModelSerializer, request_errors, text
from core.fields import max_length
from villages.api.serializers import MONEY, VillageNameSerializer
from villages.models import Experience, Session

MAX_ID = 2**63 - 1  # BigAutoField: a larger id is no session, and must not reach the database
MAX_PEOPLE = 32767  # PositiveSmallIntegerField; the party-size rule itself is the service's


class NewBookingSerializer(serializers.Serializer):
    """What a client sends to book. Blank strings pass here so that the service says what is missing."""

    session = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("The id of the session to book."))
    adults = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE)
    children = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE, default=0)
    name = text(max_length=max_length(Booking, "name"), help_text=_("The name the booking is for."))
    email = text(max_length=max_length(Booking, "email"))
    phone = text(
        max_length=40, help_text=_("A Chinese mobile number (13800138000) or an international one (+44 20 7946 0958).")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of the emails about the booking; by default the language of the request."),
    )
    notes = text(max_length=max_length(Booking, "notes"), default="")
    source = text(
        max_length=max_length(Booking, "source"),
        default="",
        help_text=_(
            "Where the booking started, when not on the site itself: live:<id> for a live stream of the session's "
            "village (GET /api/v1/live-streams/). Optional."
        ),
    )


class BookingStatusField(NamedEnumField):
    """A booking's status, in the three shapes that show it; the session's has a `status` of its own."""

    enum_name = "BookingStatusEnum"
    choices = Booking.Status


class BookingCreatedSerializer(ReadOnlyModelSerializer):
    """The answer to a booking: the reference to quote, and the token that is the only key to it."""

    status = BookingStatusField(read_only=True)
    total_price = serializers.DecimalField(**MONEY)
    session = serializers.IntegerField(source="session_id", read_only=True)
    manage_url = PrivateLinkField(help_text=_("The visitor's page for this booking; keep it private."))

    class Meta:
        model = Booking
        fields = [
            "reference",
            "token",
            "status",
            "total_price",
            "session",
            "adults",
            "children",
            "source",
            "manage_url",
        ]


class BookedSessionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at"]


class BookedExperienceSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Experience
        fields = ["slug", "title"]


class CancellationDeadlineField(serializers.DateTimeField):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, booking):
        return super().to_representation(booking.cancellation_deadline)


class BookingSerializer(ReadOnlyModelSerializer):
    """A booking as its holder sees it. Titles and names follow the request's language."""

    status = BookingStatusField(read_only=True)
    total_price = serializers.DecimalField(**MONEY)
    session = BookedSessionSerializer(read_only=True)
    experience = BookedExperienceSerializer(source="session.experience", read_only=True)
    village = VillageNameSerializer(source="session.experience.village", read_only=True)
    check_in_code = serializers.SerializerMethodField(
        help_text=_("Shown at the meeting point; only once the booking is confirmed.")
    )
    cancellable = serializers.SerializerMethodField(help_text=_("Whether the visitor can still cancel online."))
    movable = serializers.SerializerMethodField(
        help_text=_(
            "Whether the booking can be moved to another session now (reschedule), or rebooked after the "
            "village called its session off."
        )
    )
    cancellation_deadline = CancellationDeadlineField(help_text=_("Until when the visitor can cancel online."))
    manage_url = PrivateLinkField()

    class Meta:
        model = Booking
        fields = [
            "reference",
            "status",
            "total_price",
            "session",
            "experience",
            "village",
            "adults",
            "children",
            "name",
            "email",
            "phone",
            "notes",
            "source",
            "check_in_code",
            "cancellable",
            "movable",
            "cancellation_deadline",
            "created_at",
            "manage_url",
        ]

    def get_check_in_code(self, booking) -> str | None:
        if booking.status in (Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN):
            return booking.check_in_code
        return None

    def get_cancellable(self, booking) -> bool:
        return services.visitor_can_cancel(booking)

    def get_movable(self, booking) -> bool:
        return services.can_move(booking)


class BookingCancelledSerializer(ReadOnlyModelSerializer):
    status = BookingStatusField(read_only=True)

    class Meta:
        model = Booking
        fields = ["reference", "status"]


class RescheduleSerializer(serializers.Serializer):
    session = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("The id of another session of the same experience.")
    )


# --- Waiting lists


class NewWaitlistEntrySerializer(serializers.Serializer):
    """Who waits for seats of a full session (the session is in the address)."""

    adults = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE)
    children = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE, default=0)
    name = text(max_length=max_length(WaitlistEntry, "name"))
    email = text(max_length=max_length(WaitlistEntry, "email"))
    phone = text(max_length=40)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of the emails about the entry; by default the language of the request."),
    )


class WaitlistStatusField(NamedEnumField):
    enum_name = "WaitlistStatusEnum"
    choices = WaitlistEntry.Status


class PositionField(serializers.IntegerField):
    """1 for the next party to be offered seats; null once the entry is no longer waiting."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, allow_null=True, help_text=self.__doc__)
        super().__init__(**kwargs)

    def to_representation(self, entry):
        return waitlist_position(entry)


class PartyPriceField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(source="*", **MONEY, **kwargs)

    def to_representation(self, entry):
        return super().to_representation(services.price_for(entry.session, entry.adults, entry.children))


class WaitlistJoinedSerializer(ReadOnlyModelSerializer):
    status = WaitlistStatusField(read_only=True)
    position = PositionField()
    session = serializers.IntegerField(source="session_id", read_only=True)
    status_url = PrivateLinkField(help_text=_("The visitor's page for this entry; keep it private."))

    class Meta:
        model = WaitlistEntry
        fields = ["reference", "token", "status", "position", "session", "adults", "children", "status_url"]


class ClaimedBookingSerializer(ReadOnlyModelSerializer):
    status = BookingStatusField(read_only=True)
    manage_url = PrivateLinkField()

    class Meta:
        model = Booking
        fields = ["reference", "token", "status", "manage_url"]


class WaitlistEntrySerializer(ReadOnlyModelSerializer):
    """An entry as its holder sees it; `booking` once the offer was claimed."""

    status = WaitlistStatusField(read_only=True)
    position = PositionField()
    session = BookedSessionSerializer(read_only=True)
    experience = BookedExperienceSerializer(source="session.experience", read_only=True)
    village = VillageNameSerializer(source="session.experience.village", read_only=True)
    total_price = PartyPriceField(help_text=_("What the party would pay, at the session's prices."))
    booking = ClaimedBookingSerializer(read_only=True, allow_null=True)
    status_url = PrivateLinkField()

    class Meta:
        model = WaitlistEntry
        fields = [
            "reference",
            "status",
            "position",
            "session",
            "experience",
            "village",
            "adults",
            "children",
            "total_price",
            "name",
            "email",
            "phone",
            "created_at",
            "offer_expires_at",
            "booking",
            "status_url",
        ]


# --- Error bodies, for the schema.


BookingRequestErrorSerializer = request_errors(NewBookingSerializer, "BookingRequestErrorSerializer")
WaitlistRequestErrorSerializer = request_errors(NewWaitlistEntrySerializer, "WaitlistRequestErrorSerializer")
RescheduleRequestErrorSerializer = request_errors(RescheduleSerializer, "RescheduleRequestErrorSerializer")
