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
