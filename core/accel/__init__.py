"""Everything the site does only for speed: the accelerated backend
(``backend.Accelerated``, what ``API_ACCELERATION=true`` names in ``ACCELERATION_BACKEND``),
which answers as the plain ``core.acceleration.Acceleration`` does, faster. The test
suite runs with either; the tests that go through a seam run with both (``.ci/run``).

This package's ``__init__`` imports nothing: Django loads the database engine
(``postgresql``) and the cache backend (``redis``) before the models are ready.

- ``gate``: an API request's key (cached by its token's hash), its rate-limit bucket and
  what the request will read from the cache come in one round trip (one Lua call on Redis:
  ``redis``);
- the apps' accelerated parts, registered from their ``accel`` packages:
  ``incidents.api.accel`` (the configuration kept per version, cached renderings, list
  pages kept in memory, ``GET /v2/incidents/{id}`` served without DRF's request cycle),
  ``statuspages.accel`` (pages kept by slug, bodies rendered once and kept gzipped
  beside), ``notifications.accel`` (a batch's MIME message built once);
- ``postgresql``: the database engine, whose health check polls the socket.

Which incidents a key may see is always the database's answer, through the same
selectors as the plain path: a cached rendering is the same for every key.
"""
