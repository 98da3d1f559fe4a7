"""Deciding residency applications in the admin: the actions, the confirmation page and its wording."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from core.errors import ServiceError
from core.fields import max_length
from residency import services
from residency.models import ResidencyApplication, ResidencyProgram
from villages.scoping import scoped_for


class DecisionForm(forms.Form):
    """The optional message of the decision page; the decision itself is the action that was chosen."""

    message = forms.CharField(
        label=_("Message to the applicants"),
        required=False,
        max_length=max_length(ResidencyApplication, "decision_message"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_(
            "Optional. Sent with the decision email to every selected applicant, so write it for all of them. "
            "Leave it empty to send the standard email only."
        ),
    )


Decision = ResidencyApplication.Status

# What the decision page and its messages say for each decision the actions can take.
DECISIONS = {
    Decision.ACCEPTED: {
        "title": _("Accept residency applications"),
        "intro": _(
            "The applicants below will be accepted and emailed. Each takes one place in their programme, in the "
            "order they applied; once no place is left, the others are refused and stay as they are."
        ),
        "button": _("Accept and email the applicants"),
        "done": _("%(count)s application(s) accepted."),
        "logged": _("Accepted."),
    },
    Decision.WAITLISTED: {
        "title": _("Waitlist residency applications"),
        "intro": _(
            "The applicants below will be put on the waiting list and emailed. "
            "A waitlisted application can still be accepted when a place frees up."
        ),
        "button": _("Waitlist and email the applicants"),
        "done": _("%(count)s application(s) waitlisted."),
        "logged": _("Waitlisted."),
    },
    Decision.REJECTED: {
        "title": _("Reject residency applications"),
        "intro": _("The applicants below will be told by email that their application was not accepted."),
        "button": _("Reject and email the applicants"),
        "done": _("%(count)s application(s) rejected."),
        "logged": _("Rejected."),
    },
}


class DecisionActions:
    """For the applications' admin: mark under review, and accept / waitlist / reject through a confirmation page
    with one message for everyone chosen. Every decision is the services' (they lock the programme, count places)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        application = self.get_object(request, unquote(object_id))
        if application is not None and self.has_change_permission(request):
            extra_context["decision_buttons"] = self._decision_buttons(application)
            extra_context["changelist_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist", current_app=self.admin_site.name
            )
            extra_context["action_checkbox_name"] = helpers.ACTION_CHECKBOX_NAME
        return super().change_view(request, object_id, form_url, extra_context)

    def _decision_buttons(self, application) -> list[tuple[str, str]]:
        buttons = []
        if application.status == Decision.SUBMITTED:
            buttons.append(("mark_under_review", gettext("Mark as under review")))
        if application.status in ResidencyApplication.DECIDABLE:
            buttons.append(("accept", gettext("Accept…")))
            if application.status != Decision.WAITLISTED:
                buttons.append(("waitlist", gettext("Waitlist…")))
            buttons.append(("reject", gettext("Reject…")))
        return buttons

    # --- Actions

    @admin.action(description=_("Mark as under review (the applicants are emailed)"), permissions=["change"])
    def mark_under_review(self, request, queryset):
        done = 0
        now = timezone.now()
        for application in queryset.order_by("created_at", "pk"):
            try:
                reviewed = services.start_review(application.pk, now=now)
            except ServiceError as error:
                self.message_user(request, f"{application.reference}: {error.message}", messages.WARNING)
                continue
            if reviewed.reviewed_at == now:  # put under review by this call, not before
                done += 1
                self.log_change(request, application, gettext("Put under review."))
        self.message_user(
            request, gettext("%(count)s application(s) put under review.") % {"count": done}, messages.SUCCESS
        )

    @admin.action(description=_("Accept selected applications…"), permissions=["change"])
    def accept(self, request, queryset):
        return self._decide(request, queryset, Decision.ACCEPTED, "accept")

    @admin.action(description=_("Waitlist selected applications…"), permissions=["change"])
    def waitlist(self, request, queryset):
        return self._decide(request, queryset, Decision.WAITLISTED, "waitlist")

    @admin.action(description=_("Reject selected applications…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, Decision.REJECTED, "reject")

    def _decide(self, request, queryset, decision, action):
        """First the decision page (who, places left, a message); its "post" decides each application in turn."""
        # Oldest first: when places run out, those who applied first have had their chance.
        applications = list(queryset.select_related("program").order_by("created_at", "pk"))
        if not applications:
            self.message_user(
                request,
                gettext("Items must be selected in order to perform actions on them. No items have been changed."),
                messages.WARNING,
            )
            return None
        form = DecisionForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_bound and form.is_valid():
            self._apply_decision(request, applications, decision, form.cleaned_data["message"])
            return None
        return self._decision_page(request, applications, decision, action, form)

    def _apply_decision(self, request, applications, decision, message):
        wording = DECISIONS[decision]
        done = 0
        now = timezone.now()
        for application in applications:
            try:
                decided = services.decide_application(application.pk, decision, message=message, now=now)
            except ServiceError as error:
                self.message_user(request, f"{application.reference}: {error.message}", messages.WARNING)
                continue
            if decided.decided_at != now:  # it was already so: the service changed nothing and sent nothing
                self.message_user(
                    request,
                    gettext("%(reference)s: already %(status)s, nothing was changed.")
                    % {"reference": application.reference, "status": decided.get_status_display().lower()},
                    messages.INFO,
                )
                continue
            done += 1
            self.log_change(request, application, str(wording["logged"]))
        self.message_user(request, wording["done"] % {"count": done}, messages.SUCCESS)

    def _decision_page(self, request, applications, decision, action, form):
        program_ids = {application.program_id for application in applications}
        programs = list(
            scoped_for(ResidencyProgram, request.user).filter(pk__in=program_ids).order_by("starts_on", "slug")
        )
        places_left = {program.pk: program.places_left for program in programs}
        rows = []
        for application in applications:
            status = application.get_status_display()
            if application.status == decision:
                note = gettext("Already %(status)s: nothing will change.") % {"status": status.lower()}
            elif application.status not in ResidencyApplication.DECIDABLE:
                note = gettext("%(status)s: it can no longer be decided and will be skipped.") % {"status": status}
            elif decision == Decision.ACCEPTED and places_left.get(application.program_id, 0) < 1:
                note = gettext("No place is left for it: it will not be accepted.")
            else:
                note = ""
                if decision == Decision.ACCEPTED:
                    places_left[application.program_id] -= 1
            rows.append(
                {"application": application, "nationality": country_name(application.nationality), "note": note}
            )
        wording = DECISIONS[decision]
        context = {
            **self.admin_site.each_context(request),
            "title": wording["title"],
            "subtitle": None,
            "opts": self.opts,
            "intro": wording["intro"],
            "button": wording["button"],
            "action": action,
            "rows": rows,
            "programs": programs,
            "form": form,
            "to_decide": sum(1 for row in rows if not row["note"]),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/residency/residencyapplication/decision_confirmation.html", context)
