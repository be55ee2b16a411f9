from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("programs/governance/", views.governance, name="governance"),
    path("programs/governance/assign/", views.role_assign, name="role_assign"),
    path("programs/governance/<int:assignment_id>/end/", views.role_end, name="role_end"),
    path("programs/governance/describe/<str:kind>/", views.role_description_edit, name="role_describe"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/inbox/", views.inbox, name="inbox"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/status/", views.request_status, name="request_status"),
    path("requests/<int:request_id>/comment/", views.request_comment, name="request_comment"),
]
