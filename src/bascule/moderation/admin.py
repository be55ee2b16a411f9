"""Operators grant the ``moderate_everything`` permission to an account or a group (for
example a group "Moderators") in the admin's accounts. The audit log is read-only here:
it is appended by the actions and never changed."""

from django.contrib import admin

from .models import HiddenContent, ModerationLog, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "act", "target_type", "target_id", "space", "reason"]
    list_filter = ["act", "target_type"]
    list_select_related = ["actor", "space"]
    date_hierarchy = "created_at"


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reporter", "post_id", "comment_id", "reason", "status", "resolved_by"]
    list_filter = ["status", "reason"]
    list_select_related = ["reporter", "resolved_by"]
    raw_id_fields = ["reporter", "post", "comment", "resolved_by"]


@admin.register(HiddenContent)
class HiddenContentAdmin(ReadOnlyAdmin):
    list_display = ["hidden_at", "post_id", "comment_id", "hidden_by", "reason"]
    list_select_related = ["hidden_by"]
    raw_id_fields = ["post", "comment", "hidden_by"]
