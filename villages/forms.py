"""Admin forms of the catalogue. Counters and states are never fields here: the services write them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from core.locking import Busy, lock_row
from villages.models import Experience, Session
from villages.months import mask_from_months, months_from_mask

MONTH_CHOICES = list(MONTHS.items())


class ExperienceAdminForm(forms.ModelForm):
    """Shows the season as twelve month boxes instead of the stored bit mask."""

    season_months = forms.TypedMultipleChoiceField(
        label=_("Season"),
        choices=MONTH_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The months in which it runs."),
    )

    class Meta:
        model = Experience
        fields = [
            "village",
            "venue",
            "slug",
            "kind",
            "title",
            "description",
            *Experience.BEFORE_YOU_GO,
            *Experience.BOOKING_TERMS,
            "position",
            "is_published",
        ]

    model_fields_for = {"season_months": ["season_mask"]}  # what a save writes when the months change

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season_months"].initial = months_from_mask(self.instance.season_mask)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("season_months"):
            self.instance.season_mask = mask_from_months(cleaned["season_months"])
        return cleaned


class LockedCounterForm(forms.ModelForm):
    """A form whose size field (a session's seats, a cohort's places) must stay at or above a counter the services
    keep. When the size changes, the row is locked and the counter read fresh before the model's own check; the
    lock lasts until the admin's transaction has saved, so no booking or decision slips in between."""

    size_field: str
    counter_field: str
    busy_message = _("This is being booked or decided right now. Please save again in a moment.")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.size_field in self.changed_data:
            try:
                with transaction.atomic():
                    current = lock_row(type(self.instance).objects.all(), self.instance.pk)
            except Busy:
                raise ValidationError(self.busy_message, code="busy") from None
            setattr(self.instance, self.counter_field, getattr(current, self.counter_field))
        return cleaned


class SessionAdminForm(LockedCounterForm):
    size_field, counter_field = "capacity", "seats_taken"

    class Meta:
        model = Session
        # Not the status or seats taken: the cancel action and the booking services write those.
        fields = ["experience", "starts_at", "ends_at", "capacity", "adult_price_override", "child_price_override"]
