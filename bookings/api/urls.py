app_name = "bookings-api"
urlpatterns = []
