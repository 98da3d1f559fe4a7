"""The booking API: thin views over bookings.services. No login: the token a booking is made with is its key.

Every refusal of the service (a BookingError) becomes its own status and body (`error.as_dict()`), so the
API answers exactly what the web form shows. Whatever a client sends, the answer is JSON and never a 500.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from bookings import services
from bookings.api.serializers import (
    BookingCancelledSerializer,
    BookingCreatedSerializer,
    BookingRequestErrorSerializer,
    BookingSerializer,
    ErrorDetailSerializer,
    NewBookingSerializer,
)
from bookings.errors import BookingError, SessionBusy
from bookings.models import Booking
from bookings.secret_links import REFERENCE, held_with_token
from core.ratelimits import BOOKINGS, LOOKUPS, AddressRateLimit

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,100}")
# Django refuses these while reading a body (too much text, too many fields or files); they are no parse errors to
# DRF, so without UnreadableBodyIsParseError they would leave the API as an HTML 400.
UNREADABLE_BODY = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


class JSONBodyParser(JSONParser):
    """JSON only; a body nested too deeply to parse is a 400 like any other unreadable body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from error


class UnreadableBodyIsParseError:
    """For a viewset: a body over Django's DATA_UPLOAD_* limits is a JSON 400 like any other unreadable body."""

    def handle_exception(self, exc):
        if isinstance(exc, UNREADABLE_BODY):
            exc = ParseError(_("The request is too large, or has too many fields or files, to be read."))
        return super().handle_exception(exc)


def error_response(error: BookingError) -> Response:
    """A service's refusal as the API answers it: its status, its messages, and when to retry if it is busy."""
    headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, SessionBusy) else None
    return Response(error.as_dict(), status=error.http_status, headers=headers)


def request_language() -> str:
    """The booking language when the client names none: the request's (Accept-Language), or the site's."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def idempotency_key(request) -> str | None:
    """The Idempotency-Key header, or None; ParseError (400) when it is not 1-100 printable ASCII characters."""
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ParseError(_("The Idempotency-Key header must be 1 to 100 printable ASCII characters."))
    return key


# --- Schema


def detail_response(description) -> OpenApiResponse:
    """A documented answer whose body is `{"detail": …}`."""
    return OpenApiResponse(response=ErrorDetailSerializer, description=description)


REFERENCE_PARAMETER = OpenApiParameter(
    "reference",
    location=OpenApiParameter.PATH,
    type=OpenApiTypes.STR,
    pattern=f"^{REFERENCE.pattern}$",
    description=_("The booking reference, e.g. CE-7KQ2MX."),
)
TOKEN_PARAMETER = OpenApiParameter(
    "token",
    location=OpenApiParameter.QUERY,
    type=OpenApiTypes.STR,
    required=True,
    description=_("The token returned when the booking was made (also in `manage_url`)."),
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
RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After",
    location=OpenApiParameter.HEADER,
    type=OpenApiTypes.INT,
    response=[429, 503],
    description=_("Seconds to wait before trying again."),
)
NOT_FOUND = detail_response(_("No booking with this reference and token (the answer does not say which is wrong)."))
TOO_MANY_REQUESTS = detail_response(
    _("Too many requests of this kind from the client's address; retry after Retry-After seconds.")
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
    retrieve=extend_schema(
        summary=_("A booking, for the holder of its token"),
        description=_("A wrong or missing token answers the same 404 as a reference that does not exist."),
        parameters=[REFERENCE_PARAMETER, TOKEN_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: BookingSerializer, 404: NOT_FOUND, 429: TOO_MANY_REQUESTS},
    ),
    cancel=extend_schema(
        summary=_("Cancel a booking"),
        description=_(
            "Gives the seats back at once. Cancelling a cancelled booking answers 200 again. "
            "Once the experience's cancellation window has closed, only the village can cancel."
        ),
        parameters=[REFERENCE_PARAMETER, TOKEN_PARAMETER, RETRY_AFTER_HEADER],
        request=None,
        responses={
            200: BookingCancelledSerializer,
            404: NOT_FOUND,
            429: TOO_MANY_REQUESTS,
            409: detail_response(
                _("Too late to cancel online, or the booking is past cancelling (checked in, no-show).")
            ),
        },
    ),
)
class BookingViewSet(UnreadableBodyIsParseError, viewsets.GenericViewSet):
    """Book, read and cancel. No session or CSRF: anonymous JSON clients, the token as the key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateLimit]
    rate_limits = {"create": BOOKINGS, "retrieve": LOOKUPS, "cancel": LOOKUPS}
    parser_classes = [JSONBodyParser]
    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"  # anything malformed reaches get_object, and gets the same JSON 404
    queryset = Booking.objects.select_related("session__experience__village")
    serializer_class = BookingSerializer

    def get_serializer_class(self):
        """What a POST to the list takes (which OPTIONS describes too), else what the route answers with."""
        if self.request is not None and self.request.method == "POST" and not self.detail:
            return NewBookingSerializer
        return self.serializer_class

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # personal data, and a token: never in a shared cache
        return response

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
                idempotency_key=key,
            )
        except BookingError as error:
            return error_response(error)
        body = BookingCreatedSerializer(booking, context=self.get_serializer_context()).data
        if created:
            return Response(body, status=status.HTTP_201_CREATED)
        return Response(body, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})

    def get_object(self):
        """The booking whose reference and token both match; one and the same 404 for every other case."""
        return held_with_token(
            self.get_queryset(), self.kwargs[self.lookup_field], self.request.query_params.get("token", "")
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["post"], serializer_class=BookingCancelledSerializer)
    def cancel(self, request, *args, **kwargs):
        booking = self.get_object()
        try:
            booking = services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
        except BookingError as error:
            return error_response(error)
        return Response(self.get_serializer(booking).data)
