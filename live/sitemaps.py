"""The stream calendar in /sitemap.xml: its list page and the pages of streams coming up or recent."""

from django.urls import reverse

from live import selectors
from villages.sitemaps import SiteUrlSitemap, UpdatedAtSitemap


class LivePagesSitemap(SiteUrlSitemap):
    def items(self):
        return ["live:stream_list"]

    def location(self, item):
        return reverse(item)


class LiveStreamSitemap(UpdatedAtSitemap):
    def items(self):
        return selectors.feed_streams()


SITEMAPS = {"live-pages": LivePagesSitemap, "live-streams": LiveStreamSitemap}
