"""Query parameters of the lists, validated once for the pages and the API alike."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from villages.models import District, Experience, Honour, Village


class VillageSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    tag = forms.ModelChoiceField(
        label=_("Honour"),
        queryset=Honour.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All honours"),
    )
    kind = forms.ChoiceField(
        label=_("Experience"), choices=[("", _("All experiences")), *Experience.Kind.choices], required=False
    )

    def selector_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "query": data["q"],
            "district": data["district"].slug if data["district"] else None,
            "honour": data["tag"].slug if data["tag"] else None,
            "kind": data["kind"] or None,
        }


# Dates a visitor could mean. Far outside them the day boundaries in Shanghai time cannot even be computed.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class DateRangeMixin:
    range_fields = ("available_from", "available_to")

    def clean(self):
        cleaned = super().clean()
        for name in self.range_fields:
            day = cleaned.get(name)
            if day and not EARLIEST_DATE <= day <= LATEST_DATE:
                self.add_error(
                    name,
                    ValidationError(
                        _("Choose a date between %(earliest)s and %(latest)s."),
                        code="date_out_of_range",
                        params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
                    ),
                )
        start, end = (cleaned.get(name) for name in self.range_fields)
        if start and end and end < start:
            self.add_error(self.range_fields[1], _("The end date is before the start date."))
        return cleaned


class ExperienceSearchForm(DateRangeMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.published(), to_field_name="slug", required=False
    )
    kind = forms.ChoiceField(label=_("Experience"), choices=[("", "-"), *Experience.Kind.choices], required=False)
    available_from = forms.DateField(label=_("Available from"), required=False, input_formats=["%Y-%m-%d"])
    available_to = forms.DateField(label=_("Available to"), required=False, input_formats=["%Y-%m-%d"])

    def selector_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "query": data["q"],
            "village": data["village"].slug if data["village"] else None,
            "kind": data["kind"] or None,
            "available_from": data["available_from"],
            "available_to": data["available_to"],
        }


class SessionRangeForm(DateRangeMixin, forms.Form):
    range_fields = ("from", "to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("From"), required=False, input_formats=["%Y-%m-%d"])
        self.fields["to"] = forms.DateField(label=_("To"), required=False, input_formats=["%Y-%m-%d"])
