"""Server-rendered pages of the directory: thin, reading through selectors."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from villages import maps, selectors, seo
from villages.models import Experience, Village
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


def experience_detail(request, slug, booking_form=None, status=200):
    """The experience and its sessions. The booking form is the bookings app's ({% booking_form %} in the
    template); bookings.views.create shows this page again with its refused form as `booking_form`."""
    experience = get_object_or_404(
        Experience.objects.published()
        .select_related("village__town__district", "village__operator", "venue")
        .prefetch_related("images"),
        slug=slug,
    )
    sessions = list(selectors.experience_sessions(experience)[:SESSIONS_ON_EXPERIENCE_PAGE])
    events = selectors.sessions_to_come(experience)[:SESSIONS_ON_EXPERIENCE_PAGE]  # cancelled ones too, as Events
    context = {
        "experience": experience,
        "sessions": sessions,
        "map": maps.experience_map(experience),
        "page_meta": seo.experience_meta(experience, events),
    }
    if booking_form is not None:
        context["booking_form"] = booking_form
    response = render(request, "villages/experience_detail.html", context, status=status)
    # The form carries a one-off submission key: no shared cache may hand the same page to two visitors.
    patch_cache_control(response, private=True)
    return response


def page_not_found(request, exception):
    return render(request, "404.html", {"page_meta": seo.not_found_meta()}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
