from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz
from villages.sitemaps import SITEMAPS
from villages.views import favicon, robots_txt

admin.site.site_header = _("Village Trails · operators")
admin.site.site_title = _("Village Trails admin")
admin.site.index_title = _("Your villages")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include("villages.api.urls")),
    path("api/v1/", include("bookings.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Public uploads (village and experience photos). Private files never live under MEDIA_ROOT.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("bookings/", include("bookings.urls")),
    path("residency/", include("bookings.residency_urls")),
    path("", include("villages.urls")),
    prefix_default_language=True,
)

handler404 = "villages.views.page_not_found"
handler500 = "villages.views.server_error"
