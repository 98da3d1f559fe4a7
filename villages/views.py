"""Server-rendered pages of the directory: thin, reading through selectors."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bookings.forms import BookingForm
from bookings.residency_forms import ResidencyApplicationForm
from villages import maps, selectors, seo
from villages.models import Experience, ResidencyProgram, Village
from villages.search_forms import VillageSearchForm

VILLAGES_PER_PAGE = 12
SESSIONS_ON_EXPERIENCE_PAGE = 30


def home(request):
    return render(
        request,
        "villages/home.html",
        {
            "villages": list(selectors.published_villages()[:6]),
            "experiences": selectors.upcoming_experiences(),
            "programs": [program for program in selectors.published_residency_programs()[:2]],
            "page_meta": seo.home_meta(),
        },
    )


def village_list(request):
    form = VillageSearchForm(request.GET or None)
    if not form.is_bound:
        villages = selectors.published_villages()
    elif form.is_valid():
        villages = selectors.published_villages(**form.selector_arguments())
    else:
        villages = Village.objects.none()
    paginator = Paginator(villages, VILLAGES_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(_("There is no such page of results.")) from error
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    # Search and filter results are noindex (see seo.village_list_meta); a form sent empty is the plain list.
    filtered = bool(form.errors) or any(request.GET.get(name, "").strip() for name in VillageSearchForm.base_fields)
    return render(
        request,
        "villages/village_list.html",
        {
            "form": form,
            "page": page,
            "villages": page.object_list,
            "query_string": query_without_page.urlencode(),
            "map": maps.overview_map(page.object_list),
            "page_meta": seo.village_list_meta(page, filtered=filtered),
        },
        status=400 if form.errors else 200,
    )


def village_detail(request, slug):
    try:
        village = selectors.village_detail(slug)
    except Village.DoesNotExist as error:
        raise Http404(_("No such village.")) from error
    return render(
        request,
        "villages/village_detail.html",
        {"village": village, "map": maps.village_map(village), "page_meta": seo.village_meta(village)},
    )


def residency_list(request):
    return render(
        request,
        "villages/residency_list.html",
        {"programs": list(selectors.published_residency_programs()), "page_meta": seo.residency_list_meta()},
    )


def residency_detail(request, slug, application_form=None, status=200):
    """A programme with its application form while applications are open; bookings.residency_views.apply renders
    it again with a refused form."""
    programs = ResidencyProgram.objects.published().select_related("village__town__district")
    program = get_object_or_404(programs, slug=slug)
    if application_form is None:
        application_form = ResidencyApplicationForm(program=program, language=request.LANGUAGE_CODE)
    response = render(
        request,
        "villages/residency_detail.html",
        {
            "program": program,
            "village": program.village,
            "form": application_form,
            "page_meta": seo.residency_meta(program),
        },
        status=status,
    )
    # After a refusal the page holds what the applicant typed: no shared cache may keep it.
    patch_cache_control(response, private=True)
    return response


def experience_detail(request, slug, booking_form=None, status=200):
    """The experience with its booking form; bookings.views.create renders it again, with a refused form."""
    experience = get_object_or_404(
        Experience.objects.published()
        .select_related("village__town__district", "village__operator", "venue")
        .prefetch_related("images"),
        slug=slug,
    )
    sessions = list(selectors.experience_sessions(experience)[:SESSIONS_ON_EXPERIENCE_PAGE])
    if booking_form is None:
        booking_form = BookingForm(experience=experience, language=request.LANGUAGE_CODE)
    booking_form.sessions = sessions  # seats left as they are now, also after a refusal
    events = selectors.sessions_to_come(experience)[:SESSIONS_ON_EXPERIENCE_PAGE]  # cancelled ones too, as Events
    response = render(
        request,
        "villages/experience_detail.html",
        {
            "experience": experience,
            "sessions": sessions,
            "booking_form": booking_form,
            "page_meta": seo.experience_meta(experience, events),
        },
        status=status,
    )
    # The form carries a one-off submission key: no shared cache may hand the same page to two visitors.
    patch_cache_control(response, private=True)
    return response


def page_not_found(request, exception):
    return render(request, "404.html", {"page_meta": seo.not_found_meta()}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)


ROBOTS_DISALLOW = (
    "/*/admin/",
    "/*/bookings/",  # booking forms' targets and the private manage pages
    "/*/residency/applications/",  # private status pages
    "/api/",
)


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def robots_txt(request):
    """Crawlers: not the admin, the private pages or the API; the sitemap, on SITE_URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): send them to ours."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
