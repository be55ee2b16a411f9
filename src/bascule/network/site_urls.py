"""Network pages that do not live under a space: posts by id (profile posts and what
every post offers: comments, reactions, shares), tags, profile feeds."""

from django.urls import path

from . import views

app_name = "feed"
urlpatterns = [
    path("posts/<int:post_id>/", views.profile_post, name="post"),
    path("posts/<int:post_id>/comments/", views.comment_create, name="comment_create"),
    path("posts/<int:post_id>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("posts/<int:post_id>/comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("posts/<int:post_id>/react/", views.reaction_toggle, name="react"),
    path("posts/<int:post_id>/share/", views.post_share, name="share"),
    path("posts/<int:post_id>/accept/", views.answer_accept, name="accept"),
    path("posts/<int:post_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("posts/<int:post_id>/confirm/", views.announcement_confirm, name="confirm"),
    path("posts/<int:post_id>/confirmations/", views.announcement_confirmations, name="confirmations"),
    path("questions/", views.questions, name="questions"),
    path("mentions/", views.mention_suggestions, name="mentions"),
    path("tags/<str:slug>/", views.tag_feed, name="tag"),
    path("people/<int:person_id>/posts/", views.profile_feed, name="profile"),
    path("me/posts/", views.profile_post_create, name="profile_post_create"),
    path("follow/", views.follow_toggle, name="follow"),
]
