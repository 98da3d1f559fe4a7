"""What every JSON API of the site shares (Django REST Framework): read-only shapes, answers to refusals and to
unreadable bodies, the schema's common pieces, and the base of the endpoints opened by a reference and its token.
Whatever a client sends, an API answers JSON and never a 500."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.errors import ServiceError
from core.ratelimits import AddressRateLimit
from core.secret_links import REFERENCE, held_with_token

# Django refuses these while reading a body (too much text, too many fields or files); they are no parse errors to
# DRF, so without UnreadableBodyIsParseError they would leave the API as an HTML 400.
UNREADABLE_BODY = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


# --- Shapes


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    """Every field read-only, so the schema tells clients each one is always present."""

    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs.setdefault(name, {})["read_only"] = True
        return extra_kwargs


def text(**kwargs) -> serializers.CharField:
    """DRF's CharField refuses NUL and unpaired surrogates itself, so nothing unstorable reaches the database."""
    return serializers.CharField(allow_blank=True, **kwargs)


def messages() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), required=False)


def request_errors(request_serializer: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The shape of a 400 for the schema: each field of `request_serializer` with its messages, or `detail` when the
    body could not be read at all. `name` names it in the schema."""
    fields = {field: messages() for field in request_serializer().fields}
    return type(
        name,
        (serializers.Serializer,),
        {
            **fields,
            "non_field_errors": messages(),
            "detail": serializers.CharField(required=False),
            "__doc__": "A 400: each field at fault with its messages, or `detail` when the body could not be read.",
            "__module__": request_serializer.__module__,
        },
    )


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))


class PrivateLinkField(serializers.URLField):
    """The absolute address of the row's private page (its get_absolute_url, with the token that opens it)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, row):
        return settings.SITE_URL + row.get_absolute_url()


class NamedEnumField(serializers.CharField):
    """A status shown by several shapes: in the schema one enum named `enum_name` with the `choices`' values, not a
    choice set per shape that drf-spectacular would name by hash (and warn about)."""

    enum_name: str
    choices: type


class NamedEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedEnumField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = type(self.target)
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": field.choices.values,
                "description": "\n".join(f"* `{value}` - {label}" for value, label in field.choices.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


# --- Answers


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


def error_response(error: ServiceError) -> Response:
    """A service's refusal as the API answers it: its status, its messages, and when to retry if it is busy."""
    headers = {"Retry-After": str(error.retry_after_seconds)} if error.retry_after_seconds else None
    return Response(error.as_dict(), status=error.http_status, headers=headers)


def request_language() -> str:
    """The language of emails when the client names none: the request's (Accept-Language), or the site's."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


# --- Schema


def detail_response(description) -> OpenApiResponse:
    """A documented answer whose body is `{"detail": …}`."""
    return OpenApiResponse(response=ErrorDetailSerializer, description=description)


RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After",
    location=OpenApiParameter.HEADER,
    type=OpenApiTypes.INT,
    response=[429, 503],
    description=_("Seconds to wait before trying again."),
)
TOO_MANY_REQUESTS = detail_response(
    _("Too many requests of this kind from the client's address; retry after Retry-After seconds.")
)


@dataclass(frozen=True)
class PrivateEndpoints:
    """The schema of the endpoints of a row opened by its reference and token: reading it, and its one action."""

    reference_help: str
    token_help: str
    not_found_help: str

    @property
    def parameters(self) -> list[OpenApiParameter]:
        reference = OpenApiParameter(
            "reference",
            location=OpenApiParameter.PATH,
            type=OpenApiTypes.STR,
            pattern=f"^{REFERENCE.pattern}$",
            description=self.reference_help,
        )
        token = OpenApiParameter(
            "token", location=OpenApiParameter.QUERY, type=OpenApiTypes.STR, required=True, description=self.token_help
        )
        return [reference, token, RETRY_AFTER_HEADER]

    def retrieve(self, *, summary, serializer):
        return extend_schema(
            summary=summary,
            description=_("A wrong or missing token answers the same 404 as a reference that does not exist."),
            parameters=self.parameters,
            responses={200: serializer, 404: detail_response(self.not_found_help), 429: TOO_MANY_REQUESTS},
        )

    def action(self, *, summary, description, serializer, refusals: dict, request=None):
        """An action on the row: by default with no body; `request` names the serializer of one."""
        return extend_schema(
            summary=summary,
            description=description,
            parameters=self.parameters,
            request=request,
            responses={200: serializer, 404: detail_response(self.not_found_help), 429: TOO_MANY_REQUESTS, **refusals},
        )


# --- Endpoints opened by a reference and its token


class TokenKeyedViewSet(UnreadableBodyIsParseError, viewsets.GenericViewSet):
    """Anonymous clients, no session or CSRF: a POST to the list makes a row (`create_serializer_class`), and the
    row's reference with its token is the only key to it afterwards. Each action counts against the rate limit
    named in `rate_limits`; every answer is private (personal data, a token)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateLimit]
    rate_limits: dict[str, str] = {}
    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"  # anything malformed reaches get_object, and gets the same JSON 404
    create_serializer_class: type

    def get_serializer_class(self):
        """What a POST to the list takes (which OPTIONS describes too), else what the route answers with."""
        if self.request is not None and self.request.method == "POST" and not self.detail:
            return self.create_serializer_class
        return self.serializer_class

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_object(self):
        """The row whose reference and token both match; one and the same 404 for every other case."""
        return held_with_token(
            self.get_queryset(), self.kwargs[self.lookup_field], self.request.query_params.get("token", "")
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)
