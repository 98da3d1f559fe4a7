from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from villages.models import Experience
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
            "meeting_point",
            "duration_minutes",
            "adult_price",
            "child_price",
            "capacity",
            "min_age",
            "max_party_size",
            "cancellation_window_hours",
            "requires_approval",
            "position",
            "is_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season_months"].initial = months_from_mask(self.instance.season_mask)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("season_months"):
            self.instance.season_mask = mask_from_months(cleaned["season_months"])
        return cleaned
