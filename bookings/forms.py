"""The booking form of the experience page: it parses what the visitor typed; the booking rules live in services."""

import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bookings.errors import BookingError, SoldOut
from bookings.models import Booking
from bookings.services import price_for
from core.contact import normalised_email, normalised_phone
from core.fields import max_length
from villages.models import Experience

MAX_SESSION_ID = 2**63 - 1  # beyond a BigAutoField a lookup would fail in the database, not say "no such session"
MAX_PEOPLE = 100  # the most any experience allows; the experience's own cap is the service's to check
MAX_NOTES = 1000
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9-]{16,64}$")
IDEMPOTENCY_PREFIX = "web:"  # keeps keys of the web form apart from the API's Idempotency-Key values


def new_submission_key() -> str:
    return uuid.uuid4().hex


class BookingForm(forms.Form):
    session = forms.IntegerField(
        label=_("Session"),
        error_messages={"required": _("Choose a session."), "invalid": _("There is no such session.")},
        widget=forms.HiddenInput,  # rendered by the template as radio buttons, one per session
    )
    adults = forms.IntegerField(label=_("Adults"), min_value=0, max_value=MAX_PEOPLE, initial=1)
    children = forms.IntegerField(label=_("Children"), min_value=0, max_value=MAX_PEOPLE, initial=0, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Please give the name the booking is for.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("A mainland China mobile number, or an international number starting with +."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    notes = forms.CharField(
        label=_("Notes for the village (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTES}),
    )
    min_age_confirmed = forms.BooleanField(required=False)
    language = forms.CharField(widget=forms.HiddenInput, required=False)
    # Where the visitor came from (a live stream's page: live:<id>); the service checks it names a real stream.
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=max_length(Booking, "source"))
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, experience: Experience, sessions=(), language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_full = False  # set when the chosen session had too few seats: the page offers its waiting list
        self.experience = experience
        self.sessions = list(sessions)
        self.request_language = language
        self.fields["language"].initial = language
        self.fields["submission_key"].initial = new_submission_key()
        if self.is_bound and not SUBMISSION_KEY.match(self.data.get(self.add_prefix("submission_key"), "")):
            # A form without a usable key (a tampered or very old page) gets a fresh one for the next try.
            self.data = self.data.copy()
            self.data[self.add_prefix("submission_key")] = new_submission_key()
        self.fields["adults"].widget.attrs.update({"min": 0, "max": experience.max_party_size})
        self.fields["children"].widget.attrs.update({"min": 0, "max": experience.max_party_size})
        if experience.adults_only:
            self.fields["children"].widget = forms.HiddenInput()
        if self.asks_min_age:
            age = experience.min_age
            self.fields["min_age_confirmed"].label = ngettext(
                "All children are at least %(age)s year old.", "All children are at least %(age)s years old.", age
            ) % {"age": age}

    @property
    def asks_min_age(self) -> bool:
        return self.experience.min_age > 0 and not self.experience.adults_only

    def clean_session(self):
        session_id = self.cleaned_data["session"]
        if not 0 < session_id <= MAX_SESSION_ID or not self.experience.sessions.filter(pk=session_id).exists():
            raise ValidationError(_("There is no such session."), code="no_such_session")
        return session_id

    # Contact details are checked by the same rules the service applies, so that every message shows at once.

    def clean_email(self):
        return normalised_email(self.cleaned_data["email"])

    def clean_phone(self):
        return normalised_phone(self.cleaned_data["phone"])

    def clean_children(self):
        return self.cleaned_data.get("children") or 0

    def clean_language(self):
        """The language of the page the form was on; the language of this request if that is missing or unknown."""
        language = self.cleaned_data.get("language")
        return language if language in dict(settings.LANGUAGES) else self.request_language

    def clean(self):
        cleaned = super().clean()
        if self.asks_min_age and cleaned.get("children") and not cleaned.get("min_age_confirmed"):
            age = self.experience.min_age
            self.add_error(
                "min_age_confirmed",
                ngettext(
                    "Please confirm that all children are at least %(age)s year old.",
                    "Please confirm that all children are at least %(age)s years old.",
                    age,
                )
                % {"age": age},
            )
        return cleaned

    def clean_submission_key(self):
        key = self.cleaned_data.get("submission_key", "")
        return key if SUBMISSION_KEY.match(key) else ""

    def service_arguments(self) -> dict:
        """Keyword arguments for services.create_booking."""
        data = self.cleaned_data
        key = data["submission_key"]
        return {
            "session_id": data["session"],
            "adults": data["adults"],
            "children": data["children"],
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "language": data["language"],
            "notes": data["notes"],
            "source": data["source"],
            "idempotency_key": f"{IDEMPOTENCY_PREFIX}{key}" if key else None,
        }

    def waitlist_arguments(self) -> dict:
        """Keyword arguments for services.join_waitlist: the party and who it is, for the chosen session."""
        arguments = self.service_arguments()
        del arguments["notes"], arguments["idempotency_key"], arguments["source"]
        return arguments

    def add_booking_error(self, error: BookingError) -> None:
        """Show a refusal of the service: its field messages next to the fields, its message above the form."""
        self.add_error(None, str(error.message))
        if "source" in error.fields:
            # A stale or altered stream link: said above the form, and dropped so that sending again books.
            self.data = self.data.copy()
            self.data[self.add_prefix("source")] = ""
        for field, messages in error.fields.items():
            # Hidden fields have nowhere to show a message: it goes above the form.
            shown = field in self.fields and (field == "children" or not self.fields[field].widget.is_hidden)
            for message in messages:
                if shown or field == "session":
                    self.add_error(field, str(message))
                else:
                    self.add_error(None, str(message))
        if isinstance(error, SoldOut) and not error.fields:
            self.add_error("session", str(error.message))
            self.add_error(
                "session", gettext("You can join its waiting list instead: you will be emailed if seats free up.")
            )
            self.too_full = True

    def renew_submission_key(self) -> None:
        """After a key was used for a different booking: the next try is a new submission."""
        self.data = self.data.copy()
        self.data[self.add_prefix("submission_key")] = new_submission_key()

    # What the template shows.

    @property
    def chosen_session_id(self) -> int | None:
        raw = self.data.get(self.add_prefix("session")) if self.is_bound else self.initial.get("session")
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None

    def session_options(self) -> list[dict]:
        """Every session to come; a full one can still be chosen, to join its waiting list."""
        chosen = self.chosen_session_id
        return [
            {
                "session": session,
                "id": f"{self.auto_id % 'session'}_{session.pk}",
                "sold_out": session.is_sold_out,
                "checked": session.pk == chosen,
            }
            for session in self.sessions
        ]

    @property
    def offers_waitlist(self) -> bool:
        """Whether the page shows "Join the waiting list": a session is full, or the one chosen was too full."""
        return self.too_full or any(session.is_sold_out for session in self.sessions)

    def total_price(self):
        """The total for what is chosen so far, as the service will price it; None until it can be known."""
        chosen = self.chosen_session_id
        session = next((session for session in self.sessions if session.pk == chosen), None)
        if session is None:
            return None
        try:
            adults = int(self.data.get(self.add_prefix("adults"), 0))
            children = 0 if self.experience.adults_only else int(self.data.get(self.add_prefix("children")) or 0)
        except (TypeError, ValueError):
            return None
        if adults < 0 or children < 0 or adults + children < 1:
            return None
        return price_for(session, adults, children)
