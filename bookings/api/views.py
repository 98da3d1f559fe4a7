"""The booking API: thin views over bookings.services. No login: the token a booking is made with is its key.

Every refusal of the service (a BookingError) becomes its own status and body (`error.as_dict()`), so the
API answers exactly what the web form shows. Whatever a client sends, the answer is JSON and never a 500.
"""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from bookings import services
from bookings.api.serializers import (
    BookingCancelledSerializer,
    BookingCreatedSerializer,
    BookingRequestErrorSerializer,
    BookingSerializer,
    NewBookingSerializer,
    NewWaitlistEntrySerializer,
    RescheduleRequestErrorSerializer,
    RescheduleSerializer,
    WaitlistEntrySerializer,
    WaitlistJoinedSerializer,
    WaitlistRequestErrorSerializer,
)
from bookings.errors import BookingError, NoSuchSession
from bookings.models import Booking, WaitlistEntry
from core.api import (
    RETRY_AFTER_HEADER,
    TOO_MANY_REQUESTS,
    JSONBodyParser,
    PrivateEndpoints,
    TokenKeyedViewSet,
    detail_response,
    error_response,
    request_language,
)
from core.ratelimits import BOOKINGS, LOOKUPS

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,100}")


def idempotency_key(request) -> str | None:
    """The Idempotency-Key header, or None; ParseError (400) when it is not 1-100 printable ASCII characters."""
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ParseError(_("The Idempotency-Key header must be 1 to 100 printable ASCII characters."))
    return key


# --- Schema


ENDPOINTS = PrivateEndpoints(
    reference_help=_("The booking reference, e.g. CE-7KQ2MX."),
    token_help=_("The token returned when the booking was made (also in `manage_url`)."),
    not_found_help=_("No booking with this reference and token (the answer does not say which is wrong)."),
)
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_KEY_HEADER,
    location=OpenApiParameter.HEADER,
    type=OpenApiTypes.STR,
    pattern=r"^[\x20-\x7e]{1,100}$",
    description=_(
        "A key of your choice (1 to 100 printable ASCII characters, e.g. a UUID) that makes retrying safe: "
        "a retry with the same key and the same body books nothing more and answers 200 with the first booking; "
        "the same key with a different body is refused with 422."
    ),
)
REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed",
    location=OpenApiParameter.HEADER,
    type=OpenApiTypes.STR,
    enum=["true"],
    response=[200],
    description=_("Present when the answer is the booking made earlier with the same Idempotency-Key."),
)


@extend_schema_view(
    create=extend_schema(
        summary=_("Book a session"),
        description=_(
            "Prices are computed on the server. The booking is pending until the village's worker confirms it "
            "(or the village approves it); the token in the answer is the only key to the booking."
        ),
        request=NewBookingSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADER, RETRY_AFTER_HEADER],
        responses={
            201: OpenApiResponse(response=BookingCreatedSerializer, description=_("Booked.")),
            200: OpenApiResponse(
                response=BookingCreatedSerializer,
                description=_("A retry with the same Idempotency-Key and body: the booking made the first time."),
            ),
            400: OpenApiResponse(
                response=BookingRequestErrorSerializer,
                description=_("The booking cannot be made as asked; the body names each field at fault."),
            ),
            409: detail_response(
                _(
                    "The session is sold out, or has fewer seats left than asked for, or the email address or phone "
                    "number already holds as much as one person may (`limit` says which)."
                )
            ),
            415: detail_response(_("The body is not JSON.")),
            422: detail_response(_("The Idempotency-Key was already used for a different request.")),
            429: TOO_MANY_REQUESTS,
            503: detail_response(_("Many people are booking this session right now; retry after Retry-After seconds.")),
        },
    ),
    retrieve=ENDPOINTS.retrieve(summary=_("A booking, for the holder of its token"), serializer=BookingSerializer),
    reschedule=ENDPOINTS.action(
        summary=_("Move a booking to another session"),
        description=_(
            "Moves the party to another session of the same experience, while the booking could still be cancelled "
            "online (or after the village called its session off). The reference and check-in code stay; the new "
            "session's prices apply; a new confirmation with an updated calendar file is emailed. The seats freed "
            "go to the old session's waiting list. Moving to the session it is on changes nothing."
        ),
        request=RescheduleSerializer,
        serializer=BookingSerializer,
        refusals={
            400: OpenApiResponse(
                response=RescheduleRequestErrorSerializer,
                description=_("No such session of this experience, or one that cannot take this party."),
            ),
            409: detail_response(
                _(
                    "Not enough seats in that session (nothing changed), bookings for it have closed, or the "
                    "booking can no longer be moved online."
                )
            ),
        },
    ),
    cancel=ENDPOINTS.action(
        summary=_("Cancel a booking"),
        description=_(
            "Gives the seats back at once. Cancelling a cancelled booking answers 200 again. "
            "Once the experience's cancellation window has closed, only the village can cancel."
        ),
        serializer=BookingCancelledSerializer,
        refusals={
            409: detail_response(
                _("Too late to cancel online, or the booking is past cancelling (checked in, no-show).")
            ),
        },
    ),
)
class BookingViewSet(TokenKeyedViewSet):
    """Book, read and cancel."""

    rate_limits = {"create": BOOKINGS, "retrieve": LOOKUPS, "cancel": LOOKUPS, "reschedule": LOOKUPS}
    parser_classes = [JSONBodyParser]
    queryset = Booking.objects.select_related("session__experience__village")
    serializer_class = BookingSerializer
    create_serializer_class = NewBookingSerializer

    def create(self, request, *args, **kwargs):
        key = idempotency_key(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            booking, created = services.create_booking(
                session_id=data["session"],
                adults=data["adults"],
                children=data["children"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                language=data.get("language") or request_language(),
                notes=data["notes"],
                source=data["source"],
                idempotency_key=key,
            )
        except BookingError as error:
            return error_response(error)
        body = BookingCreatedSerializer(booking, context=self.get_serializer_context()).data
        if created:
            return Response(body, status=status.HTTP_201_CREATED)
        return Response(body, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})

    @action(detail=True, methods=["post"], serializer_class=BookingCancelledSerializer)
    def cancel(self, request, *args, **kwargs):
        booking = self.get_object()
        try:
            booking = services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
        except BookingError as error:
            return error_response(error)
        return Response(self.get_serializer(booking).data)

    @action(detail=True, methods=["post"], serializer_class=RescheduleSerializer)
    def reschedule(self, request, *args, **kwargs):
        booking = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            booking = services.move_booking(booking.pk, to_session_id=serializer.validated_data["session"])
        except BookingError as error:
            return error_response(error)
        return Response(
            BookingSerializer(self.get_queryset().get(pk=booking.pk), context=self.get_serializer_context()).data
        )


WAITLIST_ENDPOINTS = PrivateEndpoints(
    reference_help=_("The waiting-list entry's reference, e.g. WL-7KQ2MX."),
    token_help=_("The token returned when the entry was made (also in `status_url`)."),
    not_found_help=_("No entry with this reference and token (the answer does not say which is wrong)."),
)


JOIN_SCHEMA = extend_schema(
    summary=_("Join a session's waiting list"),
    description=_(
        "For a session with fewer seats left than the party needs. When seats free up, the earliest entry whose "
        "whole party fits is offered them: they are held for it for a limited time and its holder is emailed a "
        "link to claim them. The rules and limits of a booking apply; one email address waits once per session."
    ),
    parameters=[
        OpenApiParameter("session_id", location=OpenApiParameter.PATH, type=OpenApiTypes.INT),
        RETRY_AFTER_HEADER,
    ],
    request=NewWaitlistEntrySerializer,
    responses={
        201: OpenApiResponse(response=WaitlistJoinedSerializer, description=_("On the list.")),
        400: OpenApiResponse(
            response=WaitlistRequestErrorSerializer,
            description=_("The entry cannot be made as asked; the body names each field at fault."),
        ),
        404: detail_response(_("No such session.")),
        409: detail_response(
            _(
                "The session still has enough seats (book them instead), this email address is already on its "
                "list, bookings for it have closed, or the person already holds as much as one person may."
            )
        ),
        415: detail_response(_("The body is not JSON.")),
        429: TOO_MANY_REQUESTS,
        503: detail_response(_("Many people are booking this session right now; retry after Retry-After seconds.")),
    },
)


@extend_schema_view(
    retrieve=WAITLIST_ENDPOINTS.retrieve(
        summary=_("A waiting-list entry: its status, its place in the list, an offer"),
        serializer=WaitlistEntrySerializer,
    ),
    claim=WAITLIST_ENDPOINTS.action(
        summary=_("Claim the seats offered"),
        description=_(
            "Turns the offer into a booking, confirmed and emailed like any other; the entry's status becomes "
            "`booked` with the booking's reference. Claiming again answers the same."
        ),
        serializer=WaitlistEntrySerializer,
        refusals={409: detail_response(_("No open offer: it lapsed, was never made, or the entry was left."))},
    ),
    leave=WAITLIST_ENDPOINTS.action(
        summary=_("Leave the waiting list"),
        description=_("Seats offered and not claimed go to the next party. Leaving twice answers the same."),
        serializer=WaitlistEntrySerializer,
        refusals={409: detail_response(_("The entry has been booked or has lapsed."))},
    ),
)
class WaitlistViewSet(TokenKeyedViewSet):
    """Join a full session's waiting list, follow it, claim an offer, leave."""

    rate_limits = {"join": BOOKINGS, "retrieve": LOOKUPS, "claim": LOOKUPS, "leave": LOOKUPS}
    parser_classes = [JSONBodyParser]
    queryset = WaitlistEntry.objects.select_related("session__experience__village", "booking")
    serializer_class = WaitlistEntrySerializer
    create_serializer_class = NewWaitlistEntrySerializer

    @JOIN_SCHEMA
    def join(self, request, session_id, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            entry = services.join_waitlist(
                session_id=session_id,
                adults=data["adults"],
                children=data["children"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                language=data.get("language") or request_language(),
            )
        except NoSuchSession as error:
            return Response({"detail": error.fields["session"][0]}, status=status.HTTP_404_NOT_FOUND)
        except BookingError as error:
            return error_response(error)
        body = WaitlistJoinedSerializer(entry, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _answer(self, entry):
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(WaitlistEntrySerializer(entry, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"])
    def claim(self, request, *args, **kwargs):
        entry = self.get_object()
        try:
            services.claim_offer(entry.pk)
        except BookingError as error:
            return error_response(error)
        return self._answer(entry)

    @action(detail=True, methods=["post"])
    def leave(self, request, *args, **kwargs):
        entry = self.get_object()
        try:
            services.leave_waitlist(entry.pk)
        except BookingError as error:
            return error_response(error)
        return self._answer(entry)
