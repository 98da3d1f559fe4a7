"""Shapes of the booking API. The request serializer checks only types and sizes; every booking rule (who may
book what, how many, with which contact details) is bookings.services.create_booking's, so the API, the web form
and the admin refuse the same things with the same messages.

Prices are strings with two decimals, datetimes ISO 8601 in Shanghai time (+08:00), `manage_url` is absolute.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from bookings import services
from bookings.models import Booking
from villages.api.serializers import MONEY, ReadOnlyModelSerializer
from villages.models import Experience, Session, Village

MAX_ID = 2**63 - 1  # BigAutoField: a larger id is no session, and must not reach the database
MAX_PEOPLE = 32767  # PositiveSmallIntegerField; the party-size rule itself is the service's


def text(**kwargs) -> serializers.CharField:
    """DRF's CharField refuses NUL and unpaired surrogates itself, so nothing unstorable reaches the database."""
    return serializers.CharField(allow_blank=True, **kwargs)


class NewBookingSerializer(serializers.Serializer):
    """What a client sends to book. Blank strings pass here so that the service says what is missing."""

    session = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("The id of the session to book."))
    adults = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE)
    children = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE, default=0)
    name = text(max_length=100, help_text=_("The name the booking is for."))
    email = text(max_length=254)
    phone = text(
        max_length=40, help_text=_("A Chinese mobile number (13800138000) or an international one (+44 20 7946 0958).")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of the emails about the booking; by default the language of the request."),
    )
    notes = text(max_length=1000, default="")


class BookingStatusField(serializers.CharField):
    """A booking's status; in the schema, the named enum BookingStatusEnum."""


class BookingStatusFieldExtension(OpenApiSerializerFieldExtension):
    """One named enum for the three shapes that show a booking's status; left to drf-spectacular, the choice
    set would share the name `status` with the session's and get a hashed name and a warning."""

    target_class = BookingStatusField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="BookingStatusEnum",
            type=ResolvedComponent.SCHEMA,
            object="BookingStatusEnum",
            schema={
                "type": "string",
                "enum": Booking.Status.values,
                "description": "\n".join(f"* `{value}` - {label}" for value, label in Booking.Status.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ManageUrlField(serializers.URLField):
    """The absolute address of the visitor's manage page, with the token that opens it."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, booking):
        return settings.SITE_URL + booking.get_absolute_url()


class BookingCreatedSerializer(ReadOnlyModelSerializer):
    """The answer to a booking: the reference to quote, and the token that is the only key to it."""

    status = BookingStatusField(read_only=True)
    total_price = serializers.DecimalField(**MONEY)
    session = serializers.IntegerField(source="session_id", read_only=True)
    manage_url = ManageUrlField(help_text=_("The visitor's page for this booking; keep it private."))

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


class BookedVillageSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Village
        fields = ["slug", "name"]


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
    village = BookedVillageSerializer(source="session.experience.village", read_only=True)
    check_in_code = serializers.SerializerMethodField(
        help_text=_("Shown at the meeting point; only once the booking is confirmed.")
    )
    cancellable = serializers.SerializerMethodField(help_text=_("Whether the visitor can still cancel online."))
    cancellation_deadline = CancellationDeadlineField(help_text=_("Until when the visitor can cancel online."))
    manage_url = ManageUrlField()

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


def messages() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), required=False)


class BookingRequestErrorSerializer(serializers.Serializer):
    """A 400: each field at fault with its messages, or `detail` when the body could not be read at all."""

    session = messages()
    adults = messages()
    children = messages()
    name = messages()
    email = messages()
    phone = messages()
    language = messages()
    notes = messages()
    non_field_errors = messages()
    detail = serializers.CharField(required=False)


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))
