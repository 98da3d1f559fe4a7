"""The residency pages in /sitemap.xml: the list of programmes and each published programme."""

from django.urls import reverse

from residency.models import ResidencyProgram
from villages.sitemaps import SiteUrlSitemap, UpdatedAtSitemap


class ProgramListSitemap(SiteUrlSitemap):
    def items(self):
        return ["residency:program_list"]

    def location(self, item):
        return reverse(item)


class ProgramSitemap(UpdatedAtSitemap):
    def items(self):
        return ResidencyProgram.objects.published().order_by("starts_on", "slug")


SITEMAPS = {"residency-list": ProgramListSitemap, "residency": ProgramSitemap}
