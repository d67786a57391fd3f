"""Reads of the people incidents are assigned to (Django's users)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from core.numbers import BIGINT_MAX, whole_number


def active_users_by_reference(*, ids: Iterable[str] = (), emails: Iterable[str] = ()) -> tuple[dict, dict]:
    """Active users named by id (``str(pk)``) or email (any case): ``({id: user}, {email: user})``
    in at most two queries. Ids that are not numbers match nobody."""
    User = get_user_model()
    numeric = {number for i in ids if (number := whole_number(str(i), BIGINT_MAX)) is not None}
    by_id = {str(u.pk): u for u in User.objects.filter(is_active=True, pk__in=numeric)} if numeric else {}
    by_email = {}
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if wanted:
        users = User.objects.annotate(email_lower=Lower("email")).filter(is_active=True, email_lower__in=wanted)
        for user in users.order_by("pk"):
            by_email.setdefault(user.email_lower, user)
    return by_id, by_email
