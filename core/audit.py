"""Who is acting, for the audit log (docs/audit-log.md): one context per request or task.

Every entry point sets it once, at its base, never per view: the middleware below for
the admin and the public site (the signed-in user, or nobody), ``core.api.base.ApiViewSet``
for every API dialect (the key that opened the request), ``core.tasks.Task`` for every
Celery task (the task, or whoever ran it eagerly inside a request). The audit app reads it
when it writes an entry; nothing else does.

The actor is read when an entry is written, not when the context is set: an API key is
known only after DRF authenticates the request, and ``request.user`` is lazy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from core.net import client_address


class ActorKind:
    USER = "user"
    API_KEY = "api_key"
    #: a Celery task, a management command, a migration
    SYSTEM = "system"
    #: a visitor of the public site with no account (a subscriber confirming, say)
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    kind: str
    user: object | None = None
    api_key: object | None = None
    #: what the entry names the actor by when there is no row (a task's name)
    name: str = ""


#: the actor of a context with no request or task (a shell, a command, a migration)
SYSTEM = Actor(ActorKind.SYSTEM, name="system")


@dataclass(frozen=True)
class AuditContext:
    #: the actor, read when an entry is written
    actor: Callable[[], Actor]
    #: the client's address (core.net.client_address), "" for none
    remote_addr: str = ""
    user_agent: str = ""
    #: the Celery task this happened in, when one did
    task: str = ""
    extra: dict = field(default_factory=dict)


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext | None:
    return _current.get()


def current_actor() -> Actor:
    context = _current.get()
    return context.actor() if context is not None else SYSTEM


@contextlib.contextmanager
def acting(context: AuditContext) -> Iterator[AuditContext]:
    """``context`` for everything written inside the block; the previous one after it,
    whatever the block raised (a worker thread serves many requests)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def request_context(request, actor: Callable[[], Actor]) -> AuditContext:
    return AuditContext(
        actor=actor,
        remote_addr=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:512],
    )


def user_actor(request) -> Actor:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Actor(ActorKind.USER, user=user)
    return Actor(ActorKind.ANONYMOUS, name="anonymous")


def task_context(name: str) -> AuditContext:
    """A task's context: the task is the actor; run eagerly inside a request (tests, or
    CELERY_TASK_ALWAYS_EAGER), the request's actor and address stay, and the task is named."""
    outer = _current.get()
    if outer is None:
        return AuditContext(actor=lambda: Actor(ActorKind.SYSTEM, name=f"task {name}"), task=name)
    return AuditContext(actor=outer.actor, remote_addr=outer.remote_addr, user_agent=outer.user_agent, task=name)


class AuditContextMiddleware:
    """The admin's and the public site's requests act as the signed-in user (or an
    anonymous visitor). After AuthenticationMiddleware; the API's base narrows it to the
    request's key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(request_context(request, lambda: user_actor(request))):
            return self.get_response(request)


def record_access(instance, *, granted: bool) -> None:
    """A read of a private row (a private incident opened in the admin), or an attempt
    refused: one entry, by whoever acts, with incident.io's outcome ("granted"/"denied")."""
    from auditlog import get_logentry_model

    entries = get_logentry_model().objects
    entries.log_create(
        instance, force_log=True, action=entries.model.Action.ACCESS, changes={},
        additional_data={"outcome": "granted" if granted else "denied"},
    )
