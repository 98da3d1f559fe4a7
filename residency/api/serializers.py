"""Shapes of the residency API. The request serializer parses types only (text, a date, a whole number, a yes/no, a
file); every rule about an application is residency.services.apply_for_residency's, so the API refuses what the web
form refuses, with the same messages."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import NamedEnumField, PrivateLinkField, ReadOnlyModelSerializer, request_errors, text
from residency.models import ResidencyApplication, ResidencyProgram
from villages.api.serializers import MONEY, VillageNameSerializer


class ResidencyProgramSerializer(ReadOnlyModelSerializer):
    """A digital-nomad residency cohort of a village; applications are taken while `applications_open` is true."""

    village = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    monthly_fee = serializers.DecimalField(**MONEY, help_text=_("Monthly fee in CNY."))
    places_left = serializers.IntegerField(
        read_only=True, help_text=_("Places not yet given to accepted applicants; when 0, applicants join a waitlist.")
    )
    applications_open = serializers.SerializerMethodField(help_text=_("Whether the application window is open now."))

    class Meta:
        model = ResidencyProgram
        fields = [
            "slug",
            "village",
            "name",
            "description",
            "starts_on",
            "ends_on",
            "places",
            "places_left",
            "monthly_fee",
            "applications_open",
            *ResidencyProgram.INCLUDED,
            "applications_open_at",
            "applications_close_at",
        ]

    def get_applications_open(self, program) -> bool:
        return program.applications_open()


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


class ApplicationStatusField(NamedEnumField):
    """An application's status, in both shapes that show it, clear of the booking's and the session's."""

    enum_name = "ResidencyApplicationStatusEnum"
    choices = ResidencyApplication.Status


class ApplicationCreatedSerializer(ReadOnlyModelSerializer):
    """The answer to an application: the reference to quote, and the token that is the only key to it."""

    status = ApplicationStatusField(read_only=True)

    class Meta:
        model = ResidencyApplication
        fields = ["reference", "token", "status"]


class AppliedProgramSerializer(ReadOnlyModelSerializer):
    village = VillageNameSerializer(read_only=True)

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
    status_url = PrivateLinkField(
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


ApplicationRequestErrorSerializer = request_errors(NewApplicationSerializer, "ApplicationRequestErrorSerializer")
