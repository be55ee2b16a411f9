from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/photo/", views.photo_upload, name="photo_upload"),
    path("<int:person_id>/", views.profile, name="profile"),
    path("<int:person_id>/photo.jpg", views.photo, name="photo"),
]
