"""Shapes of the booking API. The request serializer checks only types and sizes; every booking rule (who may
book what, how many, with which contact details) is bookings.services.create_booking's, so the API, the web form
and the admin refuse the same things with the same messages.

Prices are strings with two decimals, datetimes ISO 8601 in Shanghai time (+08:00), `manage_url` is absolute.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bookings import services
from bookings.models import Booking
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
        fields = ["reference", "token", "status", "total_price", "session", "adults", "children", "manage_url"]


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
            "check_in_code",
            "cancellable",
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


class BookingCancelledSerializer(ReadOnlyModelSerializer):
    status = BookingStatusField(read_only=True)

    class Meta:
        model = Booking
        fields = ["reference", "status"]


# --- Error bodies, for the schema.


BookingRequestErrorSerializer = request_errors(NewBookingSerializer, "BookingRequestErrorSerializer")
