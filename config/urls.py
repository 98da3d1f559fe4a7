from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import sitemaps
from config.health import healthz
from config.views import favicon, privacy, robots_txt
from core import two_factor
from core.admin_views import personal_data_view
from live.urls import feed_urlpatterns as live_feeds

admin.site.site_header = _("Village Trails · operators")
admin.site.site_title = _("Village Trails admin")
admin.site.index_title = _("Your villages")

# Admin pages of models that moved to an app of their own: old bookmarks land on the new address.
MOVED_ADMIN_PAGES = {
    "bookings/residencyapplication": "residency/residencyapplication",
    "bookings/outgoingemail": "outbox/outgoingemail",
    "villages/residencyprogram": "residency/residencyprogram",
}


def moved_admin_page(request, old):
    new_path = request.get_full_path().replace(f"/admin/{old}/", f"/admin/{MOVED_ADMIN_PAGES[old]}/", 1)
    return HttpResponsePermanentRedirect(new_path)


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("api/v1/", include("villages.api.urls")),
    path("api/v1/", include("bookings.api.urls")),
    path("api/v1/", include("residency.api.urls")),
    path("api/v1/", include("live.api.urls")),
    *live_feeds,
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
if settings.SERVE_MEDIA:
    # Public uploads (village and experience photos) for development; in production the proxy serves them.
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns += i18n_patterns(
    re_path(rf"^admin/(?P<old>{'|'.join(MOVED_ADMIN_PAGES)})/", moved_admin_page),
    path("admin/personal-data/", admin.site.admin_view(personal_data_view), name="personal_data"),
    path("admin/two-factor/", two_factor.enrol, name="two_factor"),
    # An operator sets their first password through the link create_operator --send-link emails.
    path(
        "admin/set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("set_password_done")),
        name="set_password",
    ),
    path("admin/set-password/done/", auth_views.PasswordResetCompleteView.as_view(), name="set_password_done"),
    path("admin/", admin.site.urls),
    path("bookings/", include("bookings.urls")),
    path("residency/", include("residency.urls")),
    path("live/", include("live.urls")),
    path("privacy/", privacy, name="privacy"),
    path("", include("villages.urls")),
    prefix_default_language=True,
)

handler404 = "villages.views.page_not_found"
handler500 = "villages.views.server_error"
