"""/sitemap.xml as a sitemap index: one sitemap per section (pages, villages, experiences, programmes, streams),
each cut into pages of SiteUrlSitemap.limit items, so that no file grows with the catalogue. Index and sections
are cached for SITEMAP_CACHE_SECONDS: crawlers read them often and they change slowly.

The index names its sections on SITE_URL (as the sections name their pages), whatever host the crawler used.
"""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from live.sitemaps import SITEMAPS as LIVE_SITEMAPS
from residency.sitemaps import SITEMAPS as RESIDENCY_SITEMAPS
from villages.sitemaps import SITEMAPS as VILLAGE_SITEMAPS

SITEMAPS = {**VILLAGE_SITEMAPS, **RESIDENCY_SITEMAPS, **LIVE_SITEMAPS}
SITEMAP_CACHE_SECONDS = 10 * 60


@require_GET
@cache_page(SITEMAP_CACHE_SECONDS)
def index(request):
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("sitemap_section", kwargs={"section": section})
        last_modified = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, last_modified))
        items += [
            SitemapIndexItem(f"{location}?p={page}", last_modified)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


@require_GET
@cache_page(SITEMAP_CACHE_SECONDS)
def section(request, section):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)
