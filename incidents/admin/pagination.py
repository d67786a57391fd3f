"""A paginator for lists that grow without bound: it never counts the whole table.

Django's admin counts the rows a list shows (``SELECT COUNT(*)``) on every page view; at
300,000 incidents that scan is most of the page's time and grows with the table. This one
counts exactly up to ``exact_up_to`` rows (a bounded ``COUNT`` over ``LIMIT n+1``), and past
that, on PostgreSQL, takes the planner's estimate of the rows (``EXPLAIN``: no rows read).
The count is then approximate (``estimated``), so the last page may come out empty or one
short; a list that long is read by filtering and searching, not by paging to its end.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


def planner_estimate(queryset) -> int:
    """The rows PostgreSQL expects ``queryset`` to return, from its plan (no rows read)."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    exact_up_to = 10_000

    @cached_property
    def estimated(self) -> bool:
        self.count  # noqa: B018 -- counting decides it
        return self.__dict__.get("_estimated", False)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql":
            return super().count
        bounded = queryset.order_by()[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        self.__dict__["_estimated"] = True
        return max(planner_estimate(queryset), bounded)
