"""When something was published or happened, as a request gives it: never in the future.
A date a little ahead of our clock is the caller's clock running fast, and is accepted
(``CLOCK_SKEW``); one further ahead would show "Published 1 Jan 2030" and hurt
components now, and is refused (each dialect's 422, naming its field)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core.exceptions import DomainError

#: how far ahead of our clock a caller's may run
CLOCK_SKEW = timedelta(minutes=5)


def check_not_future(at: datetime | None, *, field: str, now: datetime | None = None) -> None:
    """Refuse ``at`` further ahead of now than ``CLOCK_SKEW``."""
    if at is not None and at > (now or timezone.now()) + CLOCK_SKEW:
        raise DomainError(
            "in_the_future",
            f"Cannot be in the future (at most {int(CLOCK_SKEW.total_seconds() // 60)} minutes ahead)",
            field=field,
        )
