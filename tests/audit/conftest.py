import pytest

from audit.models import AuditEntry


class Entries:
    """The entries written since the fixture was made (setup's own are left out)."""

    def __init__(self):
        self.since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def all(self):
        return list(AuditEntry.objects.filter(id__gt=self.since).order_by("id"))

    def of(self, obj):
        return [entry for entry in self.all() if entry.object_pk == str(obj.pk) and entry.content_type.model_class() is type(obj)]

    def one(self, obj) -> AuditEntry:
        found = self.of(obj)
        assert len(found) == 1, [(e.get_action_display(), e.target_type, e.changes) for e in self.all()]
        return found[0]


@pytest.fixture
def entries(db):
    def start():
        return Entries()

    return start
