from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notifications_read, name="read_all"),
    path("notifications/<int:notification_id>/open", views.notification_open, name="open"),
    path("settings/notifications/", views.preferences, name="preferences"),
]
