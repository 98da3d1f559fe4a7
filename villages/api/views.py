"""The read-only public API: thin views. Query parameters are checked by the forms the pages use, reads go
through the selectors, so the API and the pages always show the same villages in the same order."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.settings import api_settings

from core.page_cache import cached_page
from villages import selectors
from villages.api.serializers import (
    ExperienceSerializer,
    SessionSerializer,
    VillageDetailSerializer,
    VillageSerializer,
)
from villages.models import Experience
from villages.search_forms import (
    ExperienceSearchForm,
    SessionRangeForm,
    VillageSearchForm,
)


def validated(form: forms.Form) -> forms.Form:
    """The bound form, or a 400 naming each field that is wrong (`{"district": ["…"]}`)."""
    if not form.is_valid():
        errors = {
            api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: list(messages)
            for field, messages in form.errors.items()
        }
        raise ValidationError(errors)
    return form


def query_parameter(name: str, description, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, location=OpenApiParameter.QUERY, required=False, description=description, **kwargs)


KIND_PARAMETER = query_parameter(
    "kind",
    _("Only what offers an experience of this kind."),
    type=OpenApiTypes.STR,
    enum=Experience.Kind.values,
)
SEARCH_PARAMETER = query_parameter(
    "q",
    _("Text to look for, in Chinese or English (a substring: 萤火虫 finds 看萤火虫)."),
    type=OpenApiTypes.STR,
)


def _slug(description) -> OpenApiParameter:
    return OpenApiParameter(
        "slug",
        location=OpenApiParameter.PATH,
        type=OpenApiTypes.STR,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description=description,
    )


VILLAGE_SLUG = _slug(_("Slug of the village."))
EXPERIENCE_SLUG = _slug(_("Slug of the experience."))
BAD_QUERY = OpenApiResponse(description=_("A query parameter is not valid; the body names it."))
NOT_FOUND = OpenApiResponse(description=_("There is no such published item, or no such page."))


class SlugLookupViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only, looked up by slug. Whatever is not a published item's slug is a JSON 404 with a clear message."""

    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"  # a malformed slug reaches get_object, so it gets JSON rather than the HTML page
    not_found_message = _("Not found.")

    def find(self, slug: str):
        """The published item with this slug; raises its model's DoesNotExist."""
        raise NotImplementedError

    def get_object(self):
        slug = self.kwargs[self.lookup_field]
        try:
            validate_slug(slug)
            found = self.find(slug)
        except (DjangoValidationError, ObjectDoesNotExist) as error:
            raise NotFound(self.not_found_message) from error
        self.check_object_permissions(self.request, found)
        return found


@extend_schema_view(
    list=extend_schema(
        summary=_("Published villages"),
        parameters=[
            query_parameter("district", _("Slug of a district."), type=OpenApiTypes.STR),
            query_parameter("tag", _("Slug of an honour the village holds."), type=OpenApiTypes.STR),
            KIND_PARAMETER,
            SEARCH_PARAMETER,
        ],
        responses={200: VillageSerializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("One published village with its photos, venues and experiences"),
        parameters=[VILLAGE_SLUG],
        responses={200: VillageDetailSerializer, 404: NOT_FOUND},
    ),
)
@method_decorator(cached_page, name="dispatch")
class VillageViewSet(SlugLookupViewSet):
    not_found_message = _("No such village.")

    def get_queryset(self):
        return selectors.published_villages()

    def get_serializer_class(self):
        return VillageDetailSerializer if self.action == "retrieve" else VillageSerializer

    def list(self, request, *args, **kwargs):
        form = validated(VillageSearchForm(request.query_params))
        villages = selectors.published_villages(**form.selector_arguments()).prefetch_related(
            selectors.routes_prefetch()
        )
        page = self.paginate_queryset(villages)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def find(self, slug):
        return selectors.village_detail(slug)


@extend_schema_view(
    list=extend_schema(
        summary=_("Published experiences"),
        parameters=[
            query_parameter("village", _("Slug of a village."), type=OpenApiTypes.STR),
            KIND_PARAMETER,
            SEARCH_PARAMETER,
            query_parameter(
                "available_from",
                _("Only experiences with a bookable session on or after this day (Shanghai time)."),
                type=OpenApiTypes.DATE,
            ),
            query_parameter(
                "available_to",
                _("Only experiences with a bookable session on or before this day (Shanghai time)."),
                type=OpenApiTypes.DATE,
            ),
        ],
        responses={200: ExperienceSerializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("One published experience"),
        parameters=[EXPERIENCE_SLUG],
        responses={200: ExperienceSerializer, 404: NOT_FOUND},
    ),
)
@method_decorator(cached_page(exact_seats_of=selectors.published_experience_id), name="dispatch")
class ExperienceViewSet(SlugLookupViewSet):
    not_found_message = _("No such experience.")
    serializer_class = ExperienceSerializer

    def get_queryset(self):
        experiences = selectors.published_experiences()
        return experiences if self.action == "sessions" else experiences.prefetch_related("images")

    def list(self, request, *args, **kwargs):
        form = validated(ExperienceSearchForm(request.query_params))
        experiences = selectors.published_experiences(**form.selector_arguments()).prefetch_related("images")
        page = self.paginate_queryset(experiences)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def find(self, slug):
        return self.get_queryset().get(slug=slug)

    @extend_schema(
        summary=_("Bookable sessions of an experience, soonest first"),
        parameters=[
            EXPERIENCE_SLUG,
            query_parameter("from", _("First day (Shanghai time), e.g. 2026-06-01."), type=OpenApiTypes.DATE),
            query_parameter("to", _("Last day (Shanghai time), included."), type=OpenApiTypes.DATE),
        ],
        responses={200: SessionSerializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND},
    )
    @action(detail=True, serializer_class=SessionSerializer)
    def sessions(self, request, *args, **kwargs):
        experience = self.get_object()
        form = validated(SessionRangeForm(request.query_params))
        sessions = selectors.experience_sessions(experience, form.cleaned_data["from"], form.cleaned_data["to"])
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
