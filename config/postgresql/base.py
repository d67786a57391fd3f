"""Django's PostgreSQL backend, with a health check that costs no round trip, and a way to
send a query now and read its answer later.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before each request
reuses it by running ``SELECT 1``: a round trip on every request that touches the
database, as long as many API requests' only query. A server that closes a connection
(a restart, ``pg_terminate_backend``, an idle timeout) sends a last message and closes
the socket, which makes the idle socket readable; an idle connection is otherwise sent
nothing (we do not LISTEN). So the check polls the socket without waiting, and only when
something is there asks the server, as Django would.

``send()`` puts a query on the wire and returns without waiting, so that the request can
wait on something else (its cache round trip) while PostgreSQL answers: two round trips
overlap instead of following each other. It goes through libpq's asynchronous calls
(psycopg's documented ``psycopg.pq`` layer) on the connection Django holds.
"""

import logging
import re
import select
import time
import weakref
from functools import partial

from django.db.backends.postgresql import base
from psycopg import errors, pq
from psycopg.adapt import PyFormat, Transformer

logger = logging.getLogger("django.db.backends")

#: runs of a statement on a connection before it is prepared there (psycopg's default)
PREPARE_THRESHOLD = 5

_PLACEHOLDER = re.compile(r"%s")
#: psycopg connection -> {sql: the name of its prepared statement, or how often it ran}
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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

    def prepared(self, sql: str) -> bytes | None:
        """The name ``sql`` is prepared under on this connection, or None while it runs
        unprepared: a statement is prepared once it has run ``PREPARE_THRESHOLD`` times
        on the connection (as psycopg does), so a connection that lives for one request
        (``CONN_MAX_AGE=0``) pays no round trip to prepare. Never with
        ``DISABLE_SERVER_SIDE_CURSORS``, Django's setting for a transaction-pooling
        PgBouncer, which does not keep a connection's prepared statements."""
        if self.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            return None
        # Kept with the psycopg connection, which a connection pool hands out again.
        seen = _PREPARED.get(self.connection)
        if seen is None:
            seen = _PREPARED[self.connection] = {}
        name = seen.get(sql, 0)
        if isinstance(name, bytes):
            return name
        if name + 1 < PREPARE_THRESHOLD:
            seen[sql] = name + 1
            return None
        name = f"incidents_{sum(isinstance(v, bytes) for v in seen.values())}".encode()
        pgconn = self.connection.pgconn
        with self.wrap_database_errors:
            result = pgconn.prepare(name, _numbered(sql))
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise _error(result, pgconn)
        seen[sql] = name
        return name

    def send(self, sql: str, params: list) -> "PendingQuery":
        """Send ``sql`` (with ``%s`` placeholders, and no other ``%``) and return at once;
        the answer is read by the returned query's ``rows()``. Nothing else may use the
        connection until then: use it as a context manager, which reads (and drops) an
        answer nobody asked for."""
        return PendingQuery(self, sql, params)


class PendingQuery:
    """A query sent to PostgreSQL whose answer has not been read yet.

    ``rows()`` waits for the answer and returns its rows as a cursor's ``fetchall()``
    would (tuples of values loaded by psycopg's adapters). The query is seen by Django's
    instrumentation as any other: it passes through the connection's execute wrappers
    (query counting, and what monitoring tools hook there) when its answer is read, and
    is logged in ``connection.queries`` when queries are logged.

    A query that cannot go out ahead runs when ``rows()`` is called instead, through an
    ordinary cursor: inside a transaction psycopg has not begun yet (it sends BEGIN with
    the first statement, which this does not go through).
    """

    def __init__(self, db: DatabaseWrapper, sql: str, params: list):
        self.db, self.sql, self.params = db, sql, list(params)
        self._rows: list[tuple] | None = None
        self._sent_at = None
        db.ensure_connection()
        db.validate_thread_sharing()
        db.validate_no_broken_transaction()
        pgconn = db.connection.pgconn
        if not db.get_autocommit() and pgconn.transaction_status == pq.TransactionStatus.IDLE:
            return  # psycopg's BEGIN is still to come: run it the ordinary way, later
        name = db.prepared(sql)
        # Parameters in PostgreSQL's text format, as psycopg's adapters write them.
        values = Transformer(db.connection).dump_sequence(self.params, [PyFormat.TEXT] * len(self.params))
        with db.wrap_database_errors:
            if name is None:
                pgconn.send_query_params(_numbered(sql), values)
            else:
                pgconn.send_query_prepared(name, values)
            while pgconn.flush():  # what did not fit in the socket's buffer yet
                select.select([pgconn.socket], [pgconn.socket], [])
                pgconn.consume_input()
        self._sent_at = time.monotonic()

    def rows(self) -> list[tuple]:
        if self._rows is None:
            executor = self._receive if self._sent_at is not None else self._execute
            for wrapper in reversed(self.db.execute_wrappers):
                executor = partial(wrapper, executor)
            self._rows = executor(self.sql, self.params, False, {"connection": self.db, "cursor": None})
        return self._rows

    def _execute(self, sql, params, many, context):
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _receive(self, sql, params, many, context):
        pgconn, results = self.db.connection.pgconn, []
        with self.db.wrap_database_errors:
            while True:
                while pgconn.is_busy():
                    select.select([pgconn.socket], [], [])
                    pgconn.consume_input()
                result = pgconn.get_result()
                if result is None:
                    break
                results.append(result)
            self._sent_at, sent_at = None, self._sent_at
            if self.db.queries_logged:
                duration, composed = time.monotonic() - sent_at, self.db.ops.compose_sql(sql, params)
                self.db.queries_log.append({"sql": composed, "time": "%.3f" % duration})
                logger.debug(
                    "(%.3f) %s; args=%s; alias=%s", duration, composed, params, self.db.alias,
                    extra={"duration": duration, "sql": composed, "params": params, "alias": self.db.alias},
                )
            (result,) = results
            if result.status != pq.ExecStatus.TUPLES_OK:
                raise _error(result, pgconn)
            loader = Transformer(self.db.connection)
            loader.set_pgresult(result)
            return loader.load_rows(0, result.ntuples, tuple)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._sent_at is not None:
            try:
                self.rows()
            except Exception:
                if exc_info[0] is None:
                    raise


def _numbered(sql: str) -> bytes:
    """``sql`` with libpq's numbered placeholders ($1, $2...) for Django's ``%s``."""
    numbered = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda _: f"${next(numbered)}", sql).encode()


def _error(result, pgconn) -> errors.Error:
    """The exception psycopg would raise for a failed result: its class by SQLSTATE."""
    message = (result.error_message or pgconn.error_message).decode(errors="replace").strip()
    sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
    try:
        return errors.lookup(sqlstate.decode())(message) if sqlstate else errors.OperationalError(message)
    except KeyError:
        return errors.DatabaseError(message)
