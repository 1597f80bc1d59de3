"""Admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """For logs the application writes itself (meeting changes, the delivery ledger): staff read
    them; nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def accent_insensitive(*fields):
    """`search_fields` that ignore accents and case (see `common.unaccent`): "Lajcak" finds
    "Lajčák" in the changelist's search box and in every autocomplete that searches here."""
    return [f"{name}__unaccent_icontains" for name in fields]


class KeptByRecordsAdminMixin:
    """For rows that records may refer to (a meeting, cluster, document or mission that an
    issued letter names): when something protects the row from deletion, the delete page
    says so and lists what protects it, rather than asking for a permission to delete the
    protecting records, which nobody has (records are never deleted) and which would not
    allow the deletion anyway."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request)
        if protected:
            perms_needed = set()  # the deletion is refused whatever the permissions
        return to_delete, model_count, perms_needed, protected
