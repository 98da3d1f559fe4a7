"""The applicant's residency pages, under /<lang>/residency/ (the programme pages themselves are the villages app's)."""

from django.urls import path

import bookings.urls  # noqa: F401 - registers the <reference:…> path converter used below
from bookings import residency_views

app_name = "residency"
urlpatterns = [
    path("<slug:slug>/apply/", residency_views.apply, name="apply"),
    path("applications/<reference:reference>/", residency_views.application, name="application"),
    path("applications/<reference:reference>/withdraw/", residency_views.withdraw, name="withdraw"),
]
