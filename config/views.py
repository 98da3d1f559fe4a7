"""The site's own few addresses, which belong to no app: the privacy notice, what crawlers may read, the favicon."""

from email.utils import parseaddr

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
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


def privacy(request):
    """What is kept about visitors and applicants, why, who sees it, how long, and how to have it or have it gone."""
    contact = settings.PRIVACY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return render(
        request,
        "privacy.html",
        {
            "version": settings.PRIVACY_VERSION,
            "contact": contact,
            "booking_days": settings.BOOKING_RETENTION_DAYS,
            "application_days": settings.APPLICATION_RETENTION_DAYS,
            "email_days": settings.EMAIL_RETENTION_DAYS,
        },
    )
