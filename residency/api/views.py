"""The residency API: published programmes (read-only), and applications: a digital nomad applies to a cohort, reads
where the application stands and withdraws it. Thin views over residency.services; no login, the token is the key.
"""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import (
    RETRY_AFTER_HEADER,
    TOO_MANY_REQUESTS,
    PrivateEndpoints,
    TokenKeyedViewSet,
    detail_response,
    error_response,
    request_language,
)
from core.errors import ServiceError
from core.page_cache import cached_page
from core.ratelimits import APPLICATIONS, LOOKUPS
from residency import selectors, services
from residency.api.serializers import (
    ApplicationCreatedSerializer,
    ApplicationRequestErrorSerializer,
    ApplicationSerializer,
    NewApplicationSerializer,
    ResidencyProgramSerializer,
)
from residency.forms import ProgramFilterForm
from residency.models import ResidencyApplication
from villages.api.views import BAD_QUERY, NOT_FOUND, query_parameter, validated


@extend_schema_view(
    list=extend_schema(
        summary=_("Published residency programmes, those taking applications first"),
        parameters=[query_parameter("village", _("Slug of a village."), type=OpenApiTypes.STR)],
        responses={200: ResidencyProgramSerializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND},
    ),
)
@method_decorator(cached_page, name="dispatch")
class ResidencyProgramViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ResidencyProgramSerializer

    def get_queryset(self):
        return selectors.published_residency_programs()

    def list(self, request, *args, **kwargs):
        form = validated(ProgramFilterForm(request.query_params))
        page = self.paginate_queryset(selectors.published_residency_programs(**form.selector_arguments()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- Applications


ENDPOINTS = PrivateEndpoints(
    reference_help=_("The application reference, e.g. RA-7KQ2MXP."),
    token_help=_("The token returned when the application was sent (also in the link emailed to the applicant)."),
    not_found_help=_("No application with this reference and token (the answer does not say which is wrong)."),
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
    retrieve=ENDPOINTS.retrieve(
        summary=_("An application, for the holder of its token"), serializer=ApplicationSerializer
    ),
    withdraw=ENDPOINTS.action(
        summary=_("Withdraw an application"),
        description=_(
            "Withdrawing a withdrawn application answers 200 again. An accepted applicant who withdraws gives "
            "their place back. Once rejected, an application can no longer be withdrawn."
        ),
        serializer=ApplicationSerializer,
        refusals={
            409: detail_response(_("The application has been decided and can no longer be withdrawn.")),
            503: detail_response(
                _("The village is saving a decision on this programme; retry after Retry-After seconds.")
            ),
        },
    ),
)
class ResidencyApplicationViewSet(TokenKeyedViewSet):
    """Apply, read and withdraw."""

    rate_limits = {"create": APPLICATIONS, "retrieve": LOOKUPS, "withdraw": LOOKUPS}
    parser_classes = [MultiPartParser, FormParser]
    queryset = ResidencyApplication.objects.select_related("program__village")
    serializer_class = ApplicationSerializer
    create_serializer_class = NewApplicationSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application = services.apply_for_residency(
                **{**data, "language": data.get("language") or request_language()}
            )
        except ServiceError as error:
            return error_response(error)
        body = ApplicationCreatedSerializer(application, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        application = self.get_object()
        try:
            services.withdraw_application(application.pk)
        except ServiceError as error:
            return error_response(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)
