"""What each governance role is for, until an administrator writes their own words."""

from django.utils.translation import gettext_lazy as _

from .models import RoleKind

DEFAULT_DESCRIPTIONS = {
    RoleKind.REFERENT: _(
        "Receives your suggestions, your requests for a new space and your access requests, and answers them within the announced delay."
    ),
    RoleKind.COMMUNITY_MANAGER: _("Runs communities: welcomes members, keeps discussions alive and helps spaces grow."),
    RoleKind.EDITOR: _("Publishes articles and announcements in editorial spaces."),
    RoleKind.TAXONOMY_OWNER: _("Keeps tags and topics tidy so that content is easy to find."),
    RoleKind.ANALYTICS_VIEWER: _("Reads the adoption cockpit for their scope (groups of people only, never individuals)."),
    RoleKind.AMBASSADOR: _("A volunteer colleague who helps you get started and shows how the network helps in your daily work."),
    RoleKind.HR_VALIDATOR: _("Approves ambassador applications on behalf of Human Resources."),
    RoleKind.MODERATOR: _("Looks at reported content and keeps conversations in line with the charter."),
    RoleKind.ADMINISTRATOR: _("Configures the platform, names the people who hold roles, and answers requests no referent covers."),
}
