from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("log/", views.log, name="log"),
    path("report/posts/<int:post_id>/", views.report, name="report_post"),
    path("report/posts/<int:post_id>/comments/<int:comment_id>/", views.report, name="report_comment"),
    path("posts/<int:post_id>/<str:act>/", views.act, name="post_act"),
    path("posts/<int:post_id>/comments/<int:comment_id>/<str:act>/", views.act, name="comment_act"),
]
