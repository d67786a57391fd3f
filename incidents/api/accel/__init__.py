"""Everything the API does only for speed, behind one setting: ``API_ACCELERATION``.

Off, every request goes through DRF's ordinary cycle: the key read from the database,
its role checked, its bucket spent through Django's cache, incidents read with their
details and rendered by the serializers. On, the same cycle is sped up at these seams,
with the same bodies, headers and errors (the test suite runs in both modes):

- ``gate``: the key, its rate-limit bucket and what the request will read from the cache
  come in one round trip (one Lua call on Redis: ``redis``); keys are cached by their
  token's hash;
- ``versions``: version tokens of what the caches hold, bumped by the domain's signals,
  and the configuration kept per version in each process;
- ``renderings``: each incident's latest rendering cached as JSON, and each list query's
  latest page kept in each process's memory, both keyed by a render version that changes
  with the code and the settings that shape a response;
- ``show``: ``GET /v2/incidents/{id}`` served without DRF's request cycle when nothing
  about the request is out of the ordinary (anything else goes to the DRF view).

Which incidents a key may see is always the database's answer, through the same
``selectors.visible_to`` as the plain path: a cached rendering is the same for every key.
"""

from django.conf import settings


def enabled() -> bool:
    return settings.API_ACCELERATION
