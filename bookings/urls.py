"""The visitor's booking pages, under /<lang>/bookings/."""

from django.urls import path, register_converter

from bookings import views


class ReferenceConverter:
    """What a booking reference can look like (e.g. CE-7KQ2MX); anything else is a 404 before any query."""

    regex = "[A-Za-z0-9-]{1,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "bookings"
urlpatterns = [
    path("new/<slug:slug>/", views.create, name="create"),
    path("<reference:reference>/", views.manage, name="manage"),
    path("<reference:reference>/cancel/", views.cancel, name="cancel"),
    path("<reference:reference>/calendar.ics", views.calendar, name="calendar"),
]
