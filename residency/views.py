"""The residency pages: the programmes, one programme with its application form, and the applicant's status page.
Thin over residency.services, which holds every rule and every write.

The status page is opened by the token in the link the applicant was given; without the right token it is a plain
404 that says nothing about whether the application exists.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from core.errors import ServiceError
from core.ratelimits import APPLICATIONS, rate_limited
from core.secret_links import held_with_token, private, private_page_views, see_other
from core.views import form_again, form_target
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


apply = form_target(_published_program, _apply)


def _application_for(reference: str, token: str) -> ResidencyApplication:
    return held_with_token(ResidencyApplication.objects.select_related("program__village"), reference, token)


def _status_page(request, application, *, refused: ServiceError | None = None, status=200) -> HttpResponse:
    context = {
        "application": application,
        "program": application.program,
        "village": application.program.village,
        "refused": refused,
    }
    return private(render(request, "residency/application.html", context, status=status))


application, withdraw = private_page_views(
    find=_application_for,
    page=_status_page,
    act=lambda application, _data: services.withdraw_application(application.pk),
)
