"""The accelerated backend (``core.acceleration`` says what a backend is)."""

from django.utils.module_loading import autodiscover_modules

from core import services
from core.acceleration import ACCELERATED, Acceleration
from core.api.state import state_of

from . import gate


class Accelerated(Acceleration):
    """The accelerated backend. It wants two settings of its own, which
    config/settings.py sets in the block that picks it, and nowhere else:

    - on Redis, the cache backend ``core.accel.redis.AcceleratedRedisCache``: Django's,
      with one client per pool and the gate's one round trip as a Lua call (``admit()``).
      On any other cache the gate reads the key and the tokens in one ``get_many`` and
      leaves the rate limit to the throttle;
    - on PostgreSQL, the engine ``core.accel.postgresql``: Django's, whose health check
      polls the idle connection's socket instead of sending ``SELECT 1`` before every
      request, a round trip as long as a warm read's only query.
    """

    def __init__(self):
        super().__init__()
        # Each app's accelerated parts register themselves when their package is imported.
        autodiscover_modules("accel", "api.accel")

    def admit(self, request, token: str, *, guard=None, reads=()):
        """Through the cache (``gate``): ``reads`` come in the same round trip as the key,
        and ``guard`` wraps only a lookup in the database: a cached key is served."""
        state = state_of(request)
        state.prefetch.extend(reads)
        look_up = None
        if guard is not None:

            def look_up(token_hash, now):
                return guard(lambda: services.find_api_key(token_hash, now), state.prefetched)

        return gate.admit(request, token, look_up=look_up)

    def implementation(self, plain: type) -> type:
        return ACCELERATED.get(plain, plain)
