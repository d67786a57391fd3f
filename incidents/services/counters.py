"""Named counters that hand out 1, 2, 3... with no number shared or skipped, whatever the
concurrency: incident references (INC-<n>), and the integer ids Cachet's dialect shows."""

from django.db.models import F

from incidents.models import Counter


def next_value(name: str) -> int:
    """The counter's next value. The UPDATE row-locks the counter until the surrounding
    transaction commits, so two callers can never read the same value: call it inside
    ``transaction.atomic``, as late as the transaction allows (it serialises the callers
    from there to COMMIT)."""
    counter = Counter.objects.filter(name=name)
    if not counter.update(value=F("value") + 1):
        # The first use ever creates the row. Of two concurrent first uses, get_or_create
        # lets one insert it and the other find it; the UPDATE then orders them.
        Counter.objects.get_or_create(name=name, defaults={"value": 0})
        counter.update(value=F("value") + 1)
    return counter.values_list("value", flat=True).get()
