"""The live-stream calendar's pages, under /<lang>/live/."""

from django.urls import path

from core.page_cache import cached_page
from live import views

app_name = "live"
urlpatterns = [
    path("", cached_page(views.stream_list), name="stream_list"),
    path("<int:stream_id>/", cached_page(views.stream_detail), name="stream_detail"),
]

# The calendar feeds, without a language in the address (?lang=en for English): what calendar apps subscribe to.
feed_urlpatterns = [
    path("live.ics", views.all_villages_feed, name="live_feed"),
    path("live/<slug:slug>.ics", views.village_feed, name="live_village_feed"),
]
