"""Query parameters of the stream calendar, validated once for the page and the API alike."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from live.models import LiveStream
from villages.models import Village
from villages.search_forms import DateRangeMixin


class StreamPageFilterForm(forms.Form):
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=Village.objects.published().order_by("position", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("All villages"),
    )


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


class StreamApiFilterForm(DateRangeMixin, forms.Form):
    range_fields = ("from", "to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = forms.ModelChoiceField(
            queryset=Village.objects.published(), to_field_name="slug", required=False
        )
        self.fields["from"] = forms.DateField(label=_("From"), required=False, input_formats=["%Y-%m-%d"])
        self.fields["to"] = forms.DateField(label=_("To"), required=False, input_formats=["%Y-%m-%d"])
        self.fields["status"] = forms.ChoiceField(choices=[("", "-"), *LiveStream.Status.choices], required=False)

    def selector_arguments(self) -> dict:
        """Days are Shanghai days, both included: streams running at any time between `from` and the end of `to`."""
        data = self.cleaned_data
        return {
            "village_slug": data["village"].slug if data["village"] else "",
            "starts_from": _day_start(data["from"]) if data["from"] else None,
            "starts_to": _day_start(data["to"] + timedelta(days=1)) if data["to"] else None,
            "status": data["status"],
        }
