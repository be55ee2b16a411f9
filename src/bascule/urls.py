from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from bascule.core import views as core

urlpatterns = [
    path("", core.home, name="home"),
    path("login/", core.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", login_not_required(core.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password/reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        login_not_required(core.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view(template_name="core/password_reset_complete.html")),
        name="password_reset_complete",
    ),
    path("language/", login_not_required(core.language_set), name="language_set"),
    path("people/", include("bascule.people.urls")),
    path("spaces/", include("bascule.network.urls")),
    path("search/", include("bascule.search.urls")),
    path("cockpit/", include("bascule.adoption.urls")),
    path("moderation/", include("bascule.moderation.urls")),
    path("", include("bascule.programs.urls")),
    path("", include("bascule.programs.accompaniment_urls")),
    path("api/v1/", include("bascule.interop.api.urls")),
    path("", include("bascule.interop.urls")),
    path("", include("bascule.network.site_urls")),
    path("", include("bascule.notify.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "bascule.core.errors.bad_request"
handler403 = "bascule.core.errors.permission_denied"
handler404 = "bascule.core.errors.page_not_found"
handler500 = "bascule.core.errors.server_error"
