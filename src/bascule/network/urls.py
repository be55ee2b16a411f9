from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.space_create, name="space_create"),
    path("preview/", views.preview, name="preview"),
    path("<slug:slug>/", views.space, name="space"),
    path("<slug:slug>/join/", views.space_join, name="join"),
    path("<slug:slug>/leave/", views.space_leave, name="leave"),
    path("<slug:slug>/archive/", views.space_archive, name="archive"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/questions/", views.space_questions, name="questions"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/members/<int:membership_id>/<str:decision>/",
        views.request_answer,
        name="request_answer",
    ),
    path("<slug:slug>/posts/", views.post_create, name="post_create"),
    path("<slug:slug>/posts/<int:post_id>/", views.post, name="post"),
    path("<slug:slug>/posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("<slug:slug>/posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("<slug:slug>/posts/<int:post_id>/pin/", views.post_pin, name="post_pin"),
    path("<slug:slug>/posts/<int:post_id>/history/", views.post_history, name="post_history"),
]
