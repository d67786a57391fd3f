"""Django's PostgreSQL backend with a health check that costs no round trip (the database
ENGINE config/settings.py sets for the accelerated backend, ``core.accel.backend``).

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before each request
reuses it by running ``SELECT 1``: a round trip on every request that touches the
database, as long as a warm API read's only query. A server that closes a connection (a
restart, ``pg_terminate_backend``, an idle timeout) sends a last message and closes the
socket, which makes the idle socket readable; an idle connection is otherwise sent
nothing (we do not LISTEN). So the check polls the socket without waiting, and only when
something is there asks the server, as Django would.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.pgconn.status != pq.ConnStatus.OK:
            return False
        if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True
