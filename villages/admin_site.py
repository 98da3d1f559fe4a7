"""The admin site: Django's, with its "view on site" redirect asking the same scoping as every other admin page,
and two-factor sign-in for staff (core.two_factor: ADMIN_2FA).

Django's redirect (`admin/r/<content type>/<id>/`) looks any object up by id and answers with its public address,
for any staff user. For a booking or a residency application that address carries the visitor's secret token, so
another village's object must be "not found" there too.
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path


class VillageAdminSite(admin.AdminSite):
    login_template = "admin/sign_in.html"

    @property
    def login_form(self):
        from core.two_factor import SignInForm  # imported late: INSTALLED_APPS loads this module before any model

        return SignInForm

    def has_permission(self, request):
        """Staff, and verified by a second factor where one is due (an enrolled device, or ADMIN_2FA=required)."""
        allowed = super().has_permission(request)
        if not allowed or settings.ADMIN_2FA == "off":
            return allowed
        from core.two_factor import must_give_a_code

        if settings.ADMIN_2FA == "required" or must_give_a_code(request.user):
            return request.user.is_verified()
        return True

    def admin_view(self, view, cacheable=False):
        """With ADMIN_2FA=required, a signed-in account without a device is sent to enrol before any page."""
        protected = super().admin_view(view, cacheable)

        @wraps(view)
        def enrolled_first(request, *args, **kwargs):
            from core.two_factor import must_enrol

            if must_enrol(request):
                return redirect("two_factor")
            return protected(request, *args, **kwargs)

        return enrolled_first

    def get_urls(self):
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped if getattr(url, "name", None) == "view_on_site" else url for url in super().get_urls()]

    def view_on_site(self, request, content_type_id, object_id):
        # Imported here: INSTALLED_APPS loads this module before any model can be imported.
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType
        from django.core.exceptions import ValidationError

        from villages import scoping

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        if model in scoping.SCOPE_PATHS:
            try:
                visible = scoping.scoped_for(model, request.user).filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                visible = False
            if not visible:
                raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)


class VillageAdminConfig(AdminConfig):
    """`django.contrib.admin` with VillageAdminSite as `admin.site` (INSTALLED_APPS names this instead)."""

    default_site = "villages.admin_site.VillageAdminSite"
