"""/<lang>/residency/: the programmes, one programme and its application form, the applicant's status page."""

from django.urls import path

from core.page_cache import cached_page
from core.secret_links import REFERENCE_IN_PATH
from residency import views

app_name = "residency"
urlpatterns = [
    path("", cached_page(views.program_list), name="program_list"),
    path("<slug:slug>/", cached_page(views.program_detail), name="program"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path(f"applications/<{REFERENCE_IN_PATH}:reference>/", views.application, name="application"),
    path(f"applications/<{REFERENCE_IN_PATH}:reference>/withdraw/", views.withdraw, name="withdraw"),
]
