from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.home, name="home"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/<slug:slug>/", views.village_detail, name="village_detail"),
    path("experiences/<slug:slug>/", views.experience_detail, name="experience_detail"),
]
