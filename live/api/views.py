"""GET /api/v1/live-streams/: the published stream calendar, read-only."""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from core.page_cache import cached_page
from live import selectors
from live.api.serializers import LiveStreamSerializer
from live.forms import StreamApiFilterForm
from live.models import LiveStream
from villages.api.views import BAD_QUERY, NOT_FOUND, query_parameter, validated

STREAM_ID = OpenApiParameter(
    "id", location=OpenApiParameter.PATH, type=OpenApiTypes.INT, description=_("Id of the live stream.")
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Published live streams, soonest first"),
        parameters=[
            query_parameter("village", _("Slug of a village."), type=OpenApiTypes.STR),
            query_parameter(
                "from", _("Only streams still running on or after this day (Shanghai time)."), type=OpenApiTypes.DATE
            ),
            query_parameter(
                "to", _("Only streams starting on or before this day (Shanghai time)."), type=OpenApiTypes.DATE
            ),
            query_parameter(
                "status", _("Only streams with this status."), type=OpenApiTypes.STR, enum=LiveStream.Status.values
            ),
        ],
        responses={200: LiveStreamSerializer(many=True), 400: BAD_QUERY},
    ),
    retrieve=extend_schema(
        summary=_("One published live stream"),
        parameters=[STREAM_ID],
        responses={200: LiveStreamSerializer, 404: NOT_FOUND},
    ),
)
@method_decorator(cached_page, name="dispatch")
class LiveStreamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LiveStreamSerializer
    lookup_value_regex = r"[^/]+"  # anything reaches get_object, so a malformed id is a JSON 404 too

    def get_queryset(self):
        return selectors.api_streams()

    def list(self, request, *args, **kwargs):
        form = validated(StreamApiFilterForm(request.query_params))
        page = self.paginate_queryset(selectors.api_streams(**form.selector_arguments()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        raw = self.kwargs[self.lookup_field]
        if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
            raise NotFound(_("No such live stream."))
        try:
            return self.get_queryset().get(pk=int(raw))
        except LiveStream.DoesNotExist as error:
            raise NotFound(_("No such live stream.")) from error
