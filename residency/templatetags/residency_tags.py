"""Residency on other apps' pages, without those apps importing residency: the programmes to apply to (home page,
a village's page), the application form of a programme's page, and the dashboard's count of applications."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from residency import selectors
from residency.forms import ResidencyApplicationForm
from residency.models import ResidencyApplication

register = template.Library()


@register.simple_tag
def programs_to_apply_to(limit: int) -> list:
    """`{% programs_to_apply_to 2 as programs %}`: published programmes, open ones first."""
    return list(selectors.published_residency_programs()[:limit])


@register.simple_tag
def village_programs(village) -> list:
    """`{% village_programs village as programs %}`: the village's published programmes, open ones first."""
    return selectors.village_programs(village)


@register.simple_tag(takes_context=True)
def application_form(context):
    """`{% application_form as form %}`: the form the view refused (`application_form`), or a fresh one."""
    return context.get("application_form") or ResidencyApplicationForm(
        program=context["program"], language=translation.get_language()
    )


@register.simple_tag(takes_context=True)
def new_applications(context) -> dict:
    """`{% new_applications as applications %}`: the dashboard's applications waiting for a decision."""
    request = context.get("request")
    counts = selectors.undecided_applications(getattr(request, "user", None) or AnonymousUser())
    changelist = reverse("admin:residency_residencyapplication_changelist")
    return {
        **counts,
        "submitted_url": f"{changelist}?status__exact={ResidencyApplication.Status.SUBMITTED}",
        "under_review_url": f"{changelist}?status__exact={ResidencyApplication.Status.UNDER_REVIEW}",
    }
