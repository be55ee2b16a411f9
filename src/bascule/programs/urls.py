from django.urls import path

from . import ambassadors, initiatives, views

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
    # Initiatives and recognition
    path("initiatives/", initiatives.initiatives, name="initiatives"),
    path("initiatives/new/", initiatives.initiative_launch, name="initiative_launch"),
    path("initiatives/<int:initiative_id>/", initiatives.initiative_detail, name="initiative"),
    path("initiatives/<int:initiative_id>/blockers/", initiatives.blocker_add, name="blocker_add"),
    path(
        "initiatives/<int:initiative_id>/blockers/<int:blocker_id>/resolve/",
        initiatives.blocker_resolve,
        name="blocker_resolve",
    ),
    path("initiatives/<int:initiative_id>/case-study/", initiatives.case_study_edit, name="case_study_edit"),
    path("case-studies/", initiatives.case_study_library, name="case_studies"),
    path("case-studies/<int:case_study_id>/", initiatives.case_study_detail, name="case_study"),
    path("case-studies/<int:case_study_id>/submit/", initiatives.case_study_submit, name="case_study_submit"),
    path("case-studies/<int:case_study_id>/review/", initiatives.case_study_review, name="case_study_review"),
    path("recognition/", initiatives.recognition, name="recognition"),
    path("recognition/consent/", initiatives.contributor_consent, name="contributor_consent"),
    path("recognition/thank/<int:person_id>/", initiatives.thank, name="thank"),

    # The ambassador program (ambassadors.py).
    path("ambassadors/", ambassadors.home, name="ambassadors"),
    path("ambassadors/coverage/", ambassadors.coverage, name="ambassador_coverage"),
    path("ambassadors/me/", ambassadors.ambassador_me, name="ambassador_me"),
    path("ambassadors/training/", ambassadors.training, name="ambassador_training"),
    path("ambassadors/validations/", ambassadors.validations, name="ambassador_validations"),
    path("ambassadors/campaigns/new/", ambassadors.campaign_create, name="campaign_create"),
    path("ambassadors/campaigns/<int:campaign_id>/", ambassadors.campaign_detail, name="campaign"),
    path("ambassadors/campaigns/<int:campaign_id>/edit/", ambassadors.campaign_edit, name="campaign_edit"),
    path("ambassadors/campaigns/<int:campaign_id>/close/", ambassadors.campaign_close, name="campaign_close"),
    path("ambassadors/campaigns/<int:campaign_id>/apply/", ambassadors.campaign_apply, name="campaign_apply"),
    path("ambassadors/campaigns/<int:campaign_id>/nominate/", ambassadors.campaign_nominate, name="campaign_nominate"),
    path("ambassadors/applications/<int:application_id>/", ambassadors.application_detail, name="application"),
    path("ambassadors/applications/<int:application_id>/hr/", ambassadors.application_hr, name="application_hr"),
    path("ambassadors/applications/<int:application_id>/manager/", ambassadors.application_manager, name="application_manager"),
    path("ambassadors/applications/<int:application_id>/answer/", ambassadors.application_answer, name="application_answer"),
    path("ambassadors/applications/<int:application_id>/withdraw/", ambassadors.application_withdraw, name="application_withdraw"),
]
