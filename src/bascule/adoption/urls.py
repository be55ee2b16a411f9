from django.urls import path

from . import views

app_name = "adoption"
urlpatterns = [
    path("", views.cockpit, {"page": "overview"}, name="overview"),
    path("segments/", views.cockpit, {"page": "segments"}, name="segments"),
    path("questions/", views.cockpit, {"page": "questions"}, name="questions"),
    path("spaces/", views.cockpit, {"page": "spaces"}, name="spaces"),
    path("features/", views.cockpit, {"page": "features"}, name="features"),
    path("space/<slug:space_slug>/", views.cockpit, {"page": "overview"}, name="space_overview"),
    path("space/<slug:space_slug>/segments/", views.cockpit, {"page": "segments"}, name="space_segments"),
    path("space/<slug:space_slug>/questions/", views.cockpit, {"page": "questions"}, name="space_questions"),
    path("space/<slug:space_slug>/spaces/", views.cockpit, {"page": "spaces"}, name="space_spaces"),
    path("space/<slug:space_slug>/features/", views.cockpit, {"page": "features"}, name="space_features"),
]
