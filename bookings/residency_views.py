"""The applicant's residency pages: thin over bookings.services, which holds every rule and every write.

The status page is opened by the token in the link the applicant was given; without the right token it is a plain
404 that says nothing about whether the application exists. The programme page with the form is villages'.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings import services
from bookings.errors import BookingError
from bookings.models import ResidencyApplication
from bookings.residency_forms import ResidencyApplicationForm
from bookings.secret_links import held_with_token, private, see_other
from core.ratelimits import APPLICATIONS, LOOKUPS, Limited, rate_limited
from villages.models import ResidencyProgram
from villages.views import residency_detail


def _application_form(request, program) -> ResidencyApplicationForm:
    return ResidencyApplicationForm(request.POST, request.FILES, program=program, language=request.LANGUAGE_CODE)


def _too_many_applications(request, limited: Limited, slug, program):
    """The programme page again, with what the applicant typed and why nothing was sent."""
    form = _application_form(request, program)
    form.is_valid()
    form.add_error(None, limited.message)
    return residency_detail(request, slug, application_form=form, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, slug):
    program = get_object_or_404(ResidencyProgram.objects.published(), slug=slug)
    if request.method != "POST":
        # Where a refused form was shown; the language switcher and a reload-as-GET land back on the programme.
        return redirect(program)
    return _apply(request, slug, program)


@rate_limited(APPLICATIONS, refused=_too_many_applications)
def _apply(request, slug, program):
    form = _application_form(request, program)
    if not form.is_valid():
        return residency_detail(request, slug, application_form=form, status=400)
    try:
        application = services.apply_for_residency(**form.service_arguments())
    except BookingError as error:
        form.add_application_error(error)
        return residency_detail(request, slug, application_form=form, status=error.http_status)
    return private(see_other(application.get_absolute_url()))


def _application_for(reference: str, token: str) -> ResidencyApplication:
    return held_with_token(ResidencyApplication.objects.select_related("program__village"), reference, token)


def _status_page(request, application, *, withdraw_refused: BookingError | None = None, status=200) -> HttpResponse:
    context = {
        "application": application,
        "program": application.program,
        "village": application.program.village,
        "withdraw_refused": withdraw_refused,
    }
    return private(render(request, "bookings/residency_application.html", context, status=status))


@require_GET
@rate_limited(LOOKUPS)
def application(request, reference):
    return _status_page(request, _application_for(reference, request.GET.get("token", "")))


@require_POST
@rate_limited(LOOKUPS)
def withdraw(request, reference):
    application = _application_for(reference, request.POST.get("token", ""))
    try:
        services.withdraw_application(application.pk)
    except BookingError as error:
        application.refresh_from_db()
        return _status_page(request, application, withdraw_refused=error, status=error.http_status)
    return private(see_other(application.get_absolute_url()))
