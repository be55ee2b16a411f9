"""API v1 routes, under /api/v1/. Each route lists its methods; ``openapi.py`` describes
every one of them (a test checks it)."""

from django.urls import path, re_path

from . import openapi, views
from .core import api_view, unknown_address

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi.document_view, name="openapi"),
    path("spaces/", api_view(GET=views.spaces_list), name="spaces"),
    path("spaces/<slug:slug>/", api_view(GET=views.space_detail), name="space"),
    path("spaces/<slug:slug>/join/", api_view(POST=views.space_join), name="space_join"),
    path("spaces/<slug:slug>/leave/", api_view(POST=views.space_leave), name="space_leave"),
    path("spaces/<slug:slug>/posts/", api_view(GET=views.space_posts), name="space_posts"),
    path("spaces/<slug:slug>/follow/", api_view(POST=views.space_follow, DELETE=views.space_follow), name="space_follow"),
    path("spaces/<slug:slug>/invitations/", api_view(POST=views.space_invite), name="space_invite"),
    path("feed/", api_view(GET=views.feed), name="feed"),
    path("posts/", api_view(POST=views.post_create), name="posts"),
    path(
        "posts/<int:post_id>/",
        api_view(GET=views.post_detail, PATCH=views.post_edit, DELETE=views.post_delete),
        name="post",
    ),
    path(
        "posts/<int:post_id>/comments/",
        api_view(GET=views.comments_list, POST=views.comment_create),
        name="comments",
    ),
    path(
        "posts/<int:post_id>/comments/<int:comment_id>/",
        api_view(PATCH=views.comment_edit, DELETE=views.comment_delete),
        name="comment",
    ),
    path("posts/<int:post_id>/shares/", api_view(POST=views.post_share), name="shares"),
    path("posts/<int:post_id>/pin/", api_view(POST=views.post_pin, DELETE=views.post_pin), name="pin"),
    path("posts/<int:post_id>/reactions/", api_view(POST=views.reaction_toggle), name="reactions"),
    path("posts/<int:post_id>/accept/", api_view(POST=views.answer_accept), name="accept"),
    path("people/", api_view(GET=views.people_list), name="people"),
    path("people/<int:person_id>/", api_view(GET=views.person_detail), name="person"),
    path("people/<int:person_id>/follow/", api_view(POST=views.person_follow, DELETE=views.person_follow), name="person_follow"),
    path("tags/<str:tag>/follow/", api_view(POST=views.tag_follow, DELETE=views.tag_follow), name="tag_follow"),
    path("search/", api_view(GET=views.search), name="search"),
    path("notifications/", api_view(GET=views.notifications_list), name="notifications"),
    path("notifications/read/", api_view(POST=views.notifications_read), name="notifications_read"),
    # Last: anything else under /api/v1/ is a JSON 404, not the HTML page.
    re_path(r"^(?P<path>.*)$", unknown_address, name="unknown"),
]
