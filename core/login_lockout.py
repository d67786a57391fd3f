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
    """AXES_CLIENT_IP_CALLABLE: the address that reached the outermost of our
    TRUSTED_PROXY_COUNT proxies. Each proxy appends the address it saw to
    X-Forwarded-For, so only the last entries are ours to believe; what a client writes
    there itself sits to their left and is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
