from django.urls import path

from . import accompaniment, journey_views

app_name = "accompaniment"
urlpatterns = [
    path("journey/", journey_views.journey, name="journey"),
    path("journey/download/", journey_views.journey_download, name="download"),
    path("journey/settings/", journey_views.journey_settings, name="settings"),
    path("transparency/", journey_views.transparency, name="transparency"),
    path("charter/", journey_views.charter, name="charter"),
    path("charter/accept/", journey_views.charter_accept, name="charter_accept"),
    path("programs/charter/", accompaniment.charter_admin, name="charter_admin"),
    path("programs/accompaniment/", accompaniment.home, name="home"),
    path("programs/accompaniment/mode/", accompaniment.mode_set, name="mode"),
    path("programs/accompaniment/people/<int:person_id>/", accompaniment.person_journey, name="person"),
    path("programs/accompaniment/people/<int:person_id>/log/", accompaniment.accompany, name="accompany"),
    path("programs/playbooks/", accompaniment.playbooks, name="playbooks"),
    path("programs/playbooks/<str:stage>/", accompaniment.playbook_edit, name="playbook_edit"),
]
