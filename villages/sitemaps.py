"""/sitemap.xml: the public pages in both languages, each with its language versions and x-default.

Addresses are on SITE_URL's scheme and host, without the sites framework: the sitemap view hands each sitemap a
RequestSite (the Host of the request) and the request's scheme, which SiteUrlSitemap ignores, so a crawler that
reached the site by another name or over plain HTTP behind the proxy still reads the public addresses.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from villages.models import Experience, Village


class SiteUrlSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 2000  # addresses per page of a section (1000 items in both languages): the index lists the pages

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(SiteUrlSitemap):
    def items(self):
        return ["villages:home", "villages:village_list"]

    def location(self, item):
        return reverse(item)


class UpdatedAtSitemap(SiteUrlSitemap):
    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not every item loaded."""
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class VillageSitemap(UpdatedAtSitemap):
    def items(self):
        return Village.objects.published().only("slug", "updated_at").order_by("position", "slug")


class ExperienceSitemap(UpdatedAtSitemap):
    def items(self):
        return (
            Experience.objects.published().only("slug", "updated_at").order_by("village_position", "position", "slug")
        )


SITEMAPS = {
    "pages": PagesSitemap,
    "villages": VillageSitemap,
    "experiences": ExperienceSitemap,
}
