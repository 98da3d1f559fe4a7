"""The application form of a residency programme's page: it parses what the applicant sent (a date, a number, a
file); every rule an application must meet lives in services.apply_for_residency, which names the fields at fault.
Its limits are the model's (maxlength in the browser too).
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.countries import country_choices
from core.errors import ServiceError
from core.fields import max_length
from residency.models import MAX_STAY_MONTHS, MIN_PROPOSAL_CHARS, ResidencyApplication, ResidencyProgram
from villages.forms import LockedCounterForm
from villages.models import Village
from villages.months import add_months

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> sends and shows, whatever the page's language


def longest_stay(program: ResidencyProgram) -> int:
    """The most months a stay can last when it starts on the cohort's first day (at least 1, at most the cap)."""
    months = 1
    while months < MAX_STAY_MONTHS and add_months(program.starts_on, months + 1) <= program.ends_on:
        months += 1
    return months


class ResidencyApplicationForm(forms.Form):
    # Nothing here is "required": the service says what is missing, in its own words, all fields at once.
    name = forms.CharField(
        label=_("Name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": max_length(ResidencyApplication, "name")}),
    )
    email = forms.CharField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "maxlength": max_length(ResidencyApplication, "email")}
        ),
    )
    nationality = forms.CharField(label=_("Nationality"), required=False, widget=forms.Select)
    profession = forms.CharField(
        label=_("Profession"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "organization-title", "maxlength": max_length(ResidencyApplication, "profession")}
        ),
    )
    skills = forms.CharField(
        label=_("Skills you would share"),
        required=False,
        help_text=_("For example: design, teaching, photography, software, farming."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": max_length(ResidencyApplication, "skills")}),
    )
    portfolio_url = forms.CharField(
        label=_("Portfolio or website (optional)"),
        required=False,
        widget=forms.URLInput(
            attrs={
                "autocomplete": "url",
                "placeholder": "https://",
                "maxlength": max_length(ResidencyApplication, "portfolio_url"),
            }
        ),
    )
    cv = forms.FileField(label=_("CV"), required=False, widget=forms.FileInput(attrs={"accept": "application/pdf"}))
    arrival_date = forms.DateField(
        label=_("Arrival date"),
        required=False,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(format=ISO_DATE, attrs={"type": "date"}),
    )
    stay_months = forms.IntegerField(
        label=_("Length of stay (months)"), required=False, widget=forms.NumberInput(attrs={"min": 1, "step": 1})
    )
    proposal = forms.CharField(
        label=_("What you would bring to the village"),
        required=False,
        strip=False,  # the service strips and counts; the text comes back exactly as typed after a refusal
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "minlength": MIN_PROPOSAL_CHARS,
                "maxlength": max_length(ResidencyApplication, "proposal"),
            }
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that my details and my CV are used to consider this application."),
        required=False,
        help_text=_(
            "Only the village's operators and the platform's administrators see your details and your CV. They use "
            "them to decide on your application and to write to you about it."
        ),
    )
    language = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, program: ResidencyProgram, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.request_language = language
        self.fields["language"].initial = language
        self.fields["nationality"].widget.choices = [("", gettext("Choose a country")), *country_choices(language)]
        last_arrival = program.ends_on - timedelta(days=1)  # the service wants arrival before the cohort's last day
        first_arrival = max(program.starts_on, timezone.localdate())  # and not in the past, once a cohort has begun
        self.fields["arrival_date"].widget.attrs.update(
            {"min": first_arrival.strftime(ISO_DATE), "max": last_arrival.strftime(ISO_DATE)}
        )
        self.fields["arrival_date"].help_text = gettext("Between %(start)s and %(end)s.") % {
            "start": date_format(first_arrival),
            "end": date_format(last_arrival),
        }
        self.fields["stay_months"].widget.attrs["max"] = longest_stay(program)
        self.fields["stay_months"].help_text = gettext("Your stay must end by %(end)s, when the cohort ends.") % {
            "end": date_format(program.ends_on)
        }
        self.fields["cv"].help_text = gettext("A PDF file of at most %(size)s MB.") % {
            "size": settings.CV_MAX_BYTES // (1024 * 1024)
        }
        self.fields["proposal"].help_text = gettext(
            "How would you spend your time in the village, and what would you share with it? "
            "At least %(min)s characters."
        ) % {"min": MIN_PROPOSAL_CHARS}

    def clean_language(self):
        """The language of the page the form was on; the language of this request if that is missing or unknown."""
        language = self.cleaned_data.get("language")
        return language if language in dict(settings.LANGUAGES) else self.request_language

    def service_arguments(self) -> dict:
        """Keyword arguments for services.apply_for_residency."""
        data = self.cleaned_data
        return {
            "program": self.program.slug,
            "name": data["name"],
            "email": data["email"],
            "nationality": data["nationality"],
            "profession": data["profession"],
            "skills": data["skills"],
            "portfolio_url": data["portfolio_url"],
            "cv": data["cv"],
            "arrival_date": data["arrival_date"],
            "stay_months": data["stay_months"],
            "proposal": data["proposal"],
            "consent": data["consent"],
            "language": data["language"],
        }

    def add_application_error(self, error: ServiceError) -> None:
        """Show a refusal of the service: its field messages next to the fields, its message above the form."""
        self.add_error(None, str(error.message))
        for field, messages in error.fields.items():
            # The programme and the language have no visible field: their messages go above the form.
            shown = field in self.fields and not self.fields[field].widget.is_hidden
            for message in messages:
                self.add_error(field if shown else None, str(message))

    # What the template shows.

    def fields_with_errors(self) -> list:
        """The visible fields with a message, in form order, for the summary above the form."""
        return [bound for bound in self.visible_fields() if bound.errors]


class ProgramFilterForm(forms.Form):
    """The query of the programmes' list in the API."""

    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.published(), to_field_name="slug", required=False
    )

    def selector_arguments(self) -> dict:
        village = self.cleaned_data["village"]
        return {"village": village.slug if village else None}


class ResidencyProgramAdminForm(LockedCounterForm):
    size_field, counter_field = "places", "places_accepted"

    class Meta:
        model = ResidencyProgram
        # Not the places accepted: the decision services write those.
        fields = [
            "village",
            "slug",
            "name",
            "description",
            "starts_on",
            "ends_on",
            "places",
            "monthly_fee",
            *ResidencyProgram.INCLUDED,
            "applications_open_at",
            "applications_close_at",
            "is_published",
        ]
