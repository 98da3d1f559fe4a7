"""The platform admins' personal-data tools in the admin: a copy of everything held about an address, and its
erasure. Operators do not have them (the page is for superusers only); the commands do the same."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import personal_data


class PersonalDataForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    cancel_upcoming = forms.BooleanField(
        label=_("Cancel what is still to come (the person is emailed first)"), required=False
    )


def personal_data_view(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = PersonalDataForm(request.POST or None)
    refused = []
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if "export" in request.POST:
            document = json.dumps(personal_data.export(email), ensure_ascii=False, indent=2)
            response = HttpResponse(document, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
        try:
            counts = personal_data.erase(email, cancel_upcoming=form.cleaned_data["cancel_upcoming"])
        except personal_data.UpcomingRefusal as refusal:
            refused = refusal.upcoming
        else:
            messages.success(
                request,
                gettext("Erased: %(counts)s.") % {"counts": ", ".join(f"{kind} {n}" for kind, n in counts.items())},
            )
            return redirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": _("Personal data"),
        "form": form,
        "refused": refused,
    }
    return TemplateResponse(request, "admin/personal_data.html", context)
