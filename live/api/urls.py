"""/api/v1/live-streams/: the villages' live-stream calendar (read-only)."""

from rest_framework.routers import SimpleRouter

from live.api.views import LiveStreamViewSet

app_name = "live-api"

router = SimpleRouter()
router.register("live-streams", LiveStreamViewSet, basename="live-stream")

urlpatterns = router.urls
