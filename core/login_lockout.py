"""Failed logins throttled with django-axes: per (username, client address), and more
loosely per client address, each with its own limit (settings LOGIN_FAILURE_LIMIT and
LOGIN_FAILURE_LIMIT_PER_IP).

Axes counts failures for each of AXES_LOCKOUT_PARAMETERS and locks when the largest count
reaches one AXES_FAILURE_LIMIT. The handler below keeps its database records and only
scales each count to its own limit, so the address alone locks at its larger limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

from core.net import client_address


def _limits() -> list[int]:
    # in the order of settings.AXES_LOCKOUT_PARAMETERS: (username, address), address
    return [settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_LIMIT_PER_IP]


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler (SQLite and PostgreSQL alike) with a limit per parameter."""

    def get_failures(self, request, credentials=None) -> int:
        # A count c against its own limit L_i is reported as c * L / L_i (rounded down),
        # which reaches axes' limit L exactly when c reaches L_i.
        limit = settings.LOGIN_FAILURE_LIMIT
        scaled = [0]
        for attempts, own_limit in zip(self.get_user_attempts(request, credentials), _limits()):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled.append(count * limit // own_limit)
        return max(scaled)


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address (``core.net.client_address``), None
    when there is none (axes' own answer then)."""
    return client_address(request) or None
