"""The site's own few addresses, which belong to no app: what crawlers may read, and the favicon."""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

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
