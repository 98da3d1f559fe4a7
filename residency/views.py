"""The residency pages: the programmes, one programme with its application form, and the applicant's status page.
Thin over residency.services, which holds every rule and every write.

The status page is opened by the token in the link the applicant was given; without the right token it is a plain
404 that says nothing about whether the application exists.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ServiceError
from core.ratelimits import APPLICATIONS, LOOKUPS, form_again, rate_limited
from core.secret_links import held_with_token, private, see_other
from residency import selectors, seo, services
from residency.forms import ResidencyApplicationForm
from residency.models import ResidencyApplication, ResidencyProgram


def program_list(request):
    return render(
        request,
        "residency/program_list.html",
        {"programs": list(selectors.published_residency_programs()), "page_meta": seo.program_list_meta()},
    )


def _published_program(slug) -> ResidencyProgram:
    return get_object_or_404(ResidencyProgram.objects.published().select_related("village__town__district"), slug=slug)


def program_detail(request, slug, application_form=None, status=200):
    """A programme with its application form while applications are open; `apply` shows it again, refused."""
    program = _published_program(slug)
    context = {"program": program, "village": program.village, "page_meta": seo.program_meta(program)}
    if application_form is not None:
        context["application_form"] = application_form
    response = render(request, "residency/program_detail.html", context, status=status)
    # After a refusal the page holds what the applicant typed: no shared cache may keep it.
    patch_cache_control(response, private=True)
    return response


def _application_form(request, program) -> ResidencyApplicationForm:
    return ResidencyApplicationForm(request.POST, request.FILES, program=program, language=request.LANGUAGE_CODE)


def _page_again(request, form, program, *, status):
    return program_detail(request, program.slug, application_form=form, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, slug):
    program = _published_program(slug)
    if request.method != "POST":
        # Where a refused form was shown; the language switcher and a reload-as-GET land back on the programme.
        return redirect(program)
    return _apply(request, program)


@rate_limited(APPLICATIONS, refused=form_again(_application_form, _page_again))
def _apply(request, program):
    form = _application_form(request, program)
    if not form.is_valid():
        return _page_again(request, form, program, status=400)
    try:
        application = services.apply_for_residency(**form.service_arguments())
    except ServiceError as error:
        form.add_application_error(error)
        return _page_again(request, form, program, status=error.http_status)
    return private(see_other(application.get_absolute_url()))


def _application_for(reference: str, token: str) -> ResidencyApplication:
    return held_with_token(ResidencyApplication.objects.select_related("program__village"), reference, token)


def _status_page(request, application, *, withdraw_refused: ServiceError | None = None, status=200) -> HttpResponse:
    context = {
        "application": application,
        "program": application.program,
        "village": application.program.village,
        "withdraw_refused": withdraw_refused,
    }
    return private(render(request, "residency/application.html", context, status=status))


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
    except ServiceError as error:
        application.refresh_from_db()
        return _status_page(request, application, withdraw_refused=error, status=error.http_status)
    return private(see_other(application.get_absolute_url()))
