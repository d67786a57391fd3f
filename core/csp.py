"""django-csp's middleware, with the policy built once for the responses that are sent the
plain one: every API answer, and most pages.

django-csp builds the header for each response (and the report-only one), about 0.2 ms
of CPU: as much as an accelerated API answer itself. A response that used no nonce and
was given no per-response change (``csp_update``, ``csp_replace``, ``csp_exempt``, ...)
gets the same string each time, so that one is built once per settings.
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

# What a view or decorator sets on a response to change its policy (csp.decorators).
_PER_RESPONSE = frozenset({"_csp_exempt", "_csp_exempt_ro", "_csp_config", "_csp_config_ro", "_csp_update",
                           "_csp_update_ro", "_csp_replace", "_csp_replace_ro"})
#: (the settings it was built from, the header or None where every response is its own)
_built: tuple[object, str | None] = (None, None)


def plain_policy() -> str | None:
    """The header of a response that changes nothing, built once per settings; None when
    the settings make each response its own (report-only, excluded prefixes, DEBUG)."""
    global _built
    current = settings._wrapped  # a new object whenever settings are overridden
    if _built[0] is not current:
        config = settings.CONTENT_SECURITY_POLICY
        shared = not (settings.DEBUG or config.get("EXCLUDE_URL_PREFIXES")
                      or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
        _built = (current, build_policy() if shared else None)
    return _built[1]


class CSPMiddleware(_CSPMiddleware):
    def process_response(self, request, response):
        policy = plain_policy()
        if policy is None or "_csp_nonce" in request.__dict__ or not _PER_RESPONSE.isdisjoint(response.__dict__):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = policy
        return response
