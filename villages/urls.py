from django.urls import path

from core.page_cache import cached_page
from villages import selectors, views

app_name = "villages"
urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("villages/", cached_page(views.village_list), name="village_list"),
    path("villages/<slug:slug>/", cached_page(views.village_detail), name="village_detail"),
    path(
        "experiences/<slug:slug>/",
        # Its seats are exact; its booking form carries a one-off key, so a browser's copy is never reused.
        cached_page(views.experience_detail, exact_seats_of=selectors.published_experience_id, conditional=False),
        name="experience_detail",
    ),
]
