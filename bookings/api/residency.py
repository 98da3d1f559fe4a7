"""The residency applications API: a digital nomad applies to a cohort, reads where the application stands and
withdraws it. Thin views over bookings.services, like the booking API beside it: no login, the token is the key.

The request serializer parses types only (text, a date, a whole number, a yes/no, a file); every rule about an
application (the window, one application per email, a readable PDF of at most CV_MAX_BYTES, a stay inside the
cohort, consent, the nationality) is services.apply_for_residency's, so the API refuses what the web form refuses,
with the same messages. Whatever a client sends, the answer is JSON and never a 500.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from bookings import services
from bookings.api.serializers import BookedVillageSerializer, ManageUrlField, messages, text
from bookings.api.views import (
    RETRY_AFTER_HEADER,
    TOO_MANY_REQUESTS,
    UnreadableBodyIsParseError,
    detail_response,
    error_response,
    request_language,
)
from bookings.errors import BookingError
from bookings.models import ResidencyApplication
from bookings.secret_links import REFERENCE, held_with_token
from core.ratelimits import APPLICATIONS, LOOKUPS, AddressRateLimit
from villages.api.serializers import ReadOnlyModelSerializer
from villages.models import ResidencyProgram

# --- Shapes


class NewApplicationSerializer(serializers.Serializer):
    """What an applicant sends, as multipart/form-data."""

    # Blank text passes here so that the service says what is missing; lengths, formats and every other rule
    # are the service's.

    program = text(help_text=_("The slug of the residency programme (from /api/v1/residency-programs/)."))
    name = text(help_text=_("The applicant's name."))
    email = text(help_text=_("Where the status link and the decision are sent."))
    nationality = text(help_text=_("Country of nationality as an ISO 3166-1 alpha-2 code, e.g. GB."))
    profession = text()
    skills = text(help_text=_("The skills the applicant brings to the village (at most 1000 characters)."))
    portfolio_url = text(required=False, default="", help_text=_("An http(s) address, or nothing."))
    cv = serializers.FileField(help_text=_("The CV as a PDF of at most 5 MB; checked by its content, not its name."))
    arrival_date = serializers.DateField(help_text=_("Within the cohort's dates, e.g. 2026-09-01."))
    stay_months = serializers.IntegerField(
        help_text=_("Whole months, at least 1; the stay must end by the end of the cohort.")
    )
    proposal = text(help_text=_("What the applicant will bring to the village (100 to 5000 characters)."))
    consent = serializers.BooleanField(
        help_text=_("Must be true: the applicant consents to the village processing these details.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of the emails about the application; by default the language of the request."),
    )


class ApplicationStatusField(serializers.CharField):
    """An application's status; in the schema, the named enum ResidencyApplicationStatusEnum."""


class ApplicationStatusFieldExtension(OpenApiSerializerFieldExtension):
    """One named enum for both shapes that show an application's status, clear of the booking's and session's."""

    target_class = ApplicationStatusField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="ResidencyApplicationStatusEnum",
            type=ResolvedComponent.SCHEMA,
            object="ResidencyApplicationStatusEnum",
            schema={
                "type": "string",
                "enum": ResidencyApplication.Status.values,
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in ResidencyApplication.Status.choices
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ApplicationCreatedSerializer(ReadOnlyModelSerializer):
    """The answer to an application: the reference to quote, and the token that is the only key to it."""

    status = ApplicationStatusField(read_only=True)

    class Meta:
        model = ResidencyApplication
        fields = ["reference", "token", "status"]


class AppliedProgramSerializer(ReadOnlyModelSerializer):
    village = BookedVillageSerializer(read_only=True)

    class Meta:
        model = ResidencyProgram
        fields = ["slug", "name", "village"]


class ApplicationSerializer(ReadOnlyModelSerializer):
    """An application as its applicant sees it: where it stands, never the CV nor the contact details."""

    status = ApplicationStatusField(read_only=True)
    status_display = serializers.CharField(
        source="get_status_display", read_only=True, help_text=_("The status in the request's language.")
    )
    program = AppliedProgramSerializer(read_only=True)
    submitted_at = serializers.DateTimeField(source="created_at", read_only=True)
    decided_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When the village accepted, waitlisted or rejected it.")
    )
    decision_message = serializers.CharField(
        read_only=True, help_text=_("The village's message with its decision; empty until then.")
    )
    can_withdraw = serializers.BooleanField(
        read_only=True, help_text=_("Whether the applicant can still withdraw the application.")
    )
    status_url = ManageUrlField(
        help_text=_("The applicant's page for this application, in the request's language; keep it private.")
    )

    class Meta:
        model = ResidencyApplication
        fields = [
            "reference",
            "status",
            "status_display",
            "name",
            "program",
            "arrival_date",
            "stay_months",
            "submitted_at",
            "decided_at",
            "decision_message",
            "can_withdraw",
            "status_url",
        ]


class ApplicationRequestErrorSerializer(serializers.Serializer):
    """A 400: each field at fault with its messages, or `detail` when the body could not be read at all."""

    program = messages()
    name = messages()
    email = messages()
    nationality = messages()
    profession = messages()
    skills = messages()
    portfolio_url = messages()
    cv = messages()
    arrival_date = messages()
    stay_months = messages()
    proposal = messages()
    consent = messages()
    language = messages()
    non_field_errors = messages()
    detail = serializers.CharField(required=False)


# --- Schema


APPLICATION_REFERENCE = OpenApiParameter(
    "reference",
    location=OpenApiParameter.PATH,
    type=OpenApiTypes.STR,
    pattern=f"^{REFERENCE.pattern}$",
    description=_("The application reference, e.g. RA-7KQ2MXP."),
)
APPLICATION_TOKEN = OpenApiParameter(
    "token",
    location=OpenApiParameter.QUERY,
    type=OpenApiTypes.STR,
    required=True,
    description=_("The token returned when the application was sent (also in the link emailed to the applicant)."),
)
APPLICATION_NOT_FOUND = detail_response(
    _("No application with this reference and token (the answer does not say which is wrong).")
)


@extend_schema_view(
    create=extend_schema(
        summary=_("Apply to a residency programme"),
        description=_(
            "Send the application as multipart/form-data, with the CV as a PDF file. The applicant and the village "
            "are emailed; the token in the answer is the only key to the application. Programmes taking "
            "applications are those of /api/v1/residency-programs/ with `applications_open`."
        ),
        request={"multipart/form-data": NewApplicationSerializer},
        parameters=[RETRY_AFTER_HEADER],
        responses={
            201: OpenApiResponse(response=ApplicationCreatedSerializer, description=_("Application received.")),
            400: OpenApiResponse(
                response=ApplicationRequestErrorSerializer,
                description=_("The application cannot be taken as sent; the body names each field at fault."),
            ),
            415: detail_response(_("The body is not multipart/form-data.")),
            429: TOO_MANY_REQUESTS,
        },
    ),
    retrieve=extend_schema(
        summary=_("An application, for the holder of its token"),
        description=_("A wrong or missing token answers the same 404 as a reference that does not exist."),
        parameters=[APPLICATION_REFERENCE, APPLICATION_TOKEN, RETRY_AFTER_HEADER],
        responses={200: ApplicationSerializer, 404: APPLICATION_NOT_FOUND, 429: TOO_MANY_REQUESTS},
    ),
    withdraw=extend_schema(
        summary=_("Withdraw an application"),
        description=_(
            "Withdrawing a withdrawn application answers 200 again. An accepted applicant who withdraws gives "
            "their place back. Once rejected, an application can no longer be withdrawn."
        ),
        parameters=[APPLICATION_REFERENCE, APPLICATION_TOKEN, RETRY_AFTER_HEADER],
        request=None,
        responses={
            200: ApplicationSerializer,
            404: APPLICATION_NOT_FOUND,
            409: detail_response(_("The application has been decided and can no longer be withdrawn.")),
            429: TOO_MANY_REQUESTS,
            503: detail_response(
                _("The village is saving a decision on this programme; retry after Retry-After seconds.")
            ),
        },
    ),
)
class ResidencyApplicationViewSet(UnreadableBodyIsParseError, viewsets.GenericViewSet):
    """Apply, read and withdraw. No session or CSRF: anonymous clients, the token as the key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateLimit]
    rate_limits = {"create": APPLICATIONS, "retrieve": LOOKUPS, "withdraw": LOOKUPS}
    parser_classes = [MultiPartParser, FormParser]
    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"  # anything malformed reaches get_object, and gets the same JSON 404
    queryset = ResidencyApplication.objects.select_related("program__village")
    serializer_class = ApplicationSerializer

    def get_serializer_class(self):
        """What a POST to the list takes (which OPTIONS describes too), else what the route answers with."""
        if self.request is not None and self.request.method == "POST" and not self.detail:
            return NewApplicationSerializer
        return self.serializer_class

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # personal data, and a token: never in a shared cache
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application = services.apply_for_residency(
                program=data["program"],
                name=data["name"],
                email=data["email"],
                nationality=data["nationality"],
                profession=data["profession"],
                skills=data["skills"],
                portfolio_url=data["portfolio_url"],
                cv=data["cv"],
                arrival_date=data["arrival_date"],
                stay_months=data["stay_months"],
                proposal=data["proposal"],
                consent=data["consent"],
                language=data.get("language") or request_language(),
            )
        except BookingError as error:
            return error_response(error)
        body = ApplicationCreatedSerializer(application, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def get_object(self):
        """The application whose reference and token both match; one and the same 404 for every other case."""
        return held_with_token(
            self.get_queryset(), self.kwargs[self.lookup_field], self.request.query_params.get("token", "")
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        application = self.get_object()
        try:
            services.withdraw_application(application.pk)
        except BookingError as error:
            return error_response(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)
