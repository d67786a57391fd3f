"""Rows some callers may not see, narrowed in one place: NetBox's ``restrict()`` pattern.

A model whose rows are not all for everyone (incidents and what hangs off them) gets a
manager built from a ``RestrictedQuerySet`` that says, in ``visible_rows(viewer)``, which
of them ``viewer`` may see. The API's base (``core.api.base.ApiViewSet.get_queryset``)
applies it to every viewset's rows, so no view decides visibility by hand. Its
``update()`` and ``bulk_create()`` are audited (``core.models.audited``)."""

from core.models.audited import AuditedQuerySet


class RestrictedQuerySet(AuditedQuerySet):
    #: whom ``restrict()`` narrowed these rows for (None: nobody yet). Clones keep it, so a
    #: test can tell that the rows a view serves went through the rule.
    restricted_for = None

    def restrict(self, viewer) -> "RestrictedQuerySet":
        """The rows ``viewer`` (an API key) may see."""
        rows = self.visible_rows(viewer)
        rows.restricted_for = viewer
        return rows

    def visible_rows(self, viewer) -> "RestrictedQuerySet":
        raise NotImplementedError(f"{type(self).__name__} must say who may see its rows")

    def _clone(self):
        clone = super()._clone()
        clone.restricted_for = self.restricted_for
        return clone


def restricted(queryset, viewer):
    """``queryset`` narrowed to what ``viewer`` may see, when its model restricts its rows;
    a copy of it otherwise."""
    if isinstance(queryset, RestrictedQuerySet):
        return queryset.restrict(viewer)
    return queryset.all()
