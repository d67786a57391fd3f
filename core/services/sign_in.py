"""Staff who sign in through the company's identity provider (core/sign_in/): who may,
into which of the staff groups, and what happens to someone the provider stops vouching
for.

The provider decides at every sign-in: a person's email domain must be allowed
(``OIDC_ALLOWED_EMAIL_DOMAINS``) and, when groups are mapped (``OIDC_STAFF_GROUPS``), they
must be in one of them; they get exactly the staff groups their provider groups map to
(or ``OIDC_DOMAIN_GROUP`` when no groups are mapped). Someone refused who has signed in
before loses the admin (``is_staff`` off) and the staff groups, so access ends with the
provider's say, not with a password kept here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.email_addresses import normalise_email
from core.models import ProviderIdentity


@dataclass(frozen=True)
class SignIn:
    """The outcome: a user let in, or why nobody was."""

    user: object | None = None
    refused_because: str = ""


def staff_groups_for(*, email: str, email_verified: bool | None, provider_groups: list[str]) -> tuple[list[str], str]:
    """The staff groups the provider's claims give, or ([], why not)."""
    if not email:
        return [], "the provider gave no email address"
    if email_verified is False:
        return [], "the provider has not verified the email address"
    domain = email.rpartition("@")[2].lower()
    if settings.OIDC_ALLOWED_EMAIL_DOMAINS and domain not in settings.OIDC_ALLOWED_EMAIL_DOMAINS:
        return [], f"addresses at {domain} may not sign in here"
    mapping = settings.OIDC_STAFF_GROUPS
    if not any(mapping.values()):
        return [settings.OIDC_DOMAIN_GROUP], ""
    theirs = set(provider_groups)
    groups = [name for name, mapped in mapping.items() if theirs.intersection(mapped)]
    if not groups:
        return [], "you are in none of the provider's groups that give access here"
    return groups, ""


@transaction.atomic
def sign_in_through_provider(*, issuer: str, subject: str, email: str, email_verified: bool | None,
                             first_name: str = "", last_name: str = "", provider_groups: list[str]) -> SignIn:
    """Let a person the provider vouches for in as staff, creating their user the first
    time; refuse one it does not, taking the admin away from them if they had it."""
    email = _normalised(email)
    groups, refused_because = staff_groups_for(email=email, email_verified=email_verified, provider_groups=provider_groups)
    identity = (ProviderIdentity.objects.select_for_update().select_related("user")
                .filter(issuer=issuer, subject=subject).first())
    if refused_because:
        if identity:
            _revoke_staff(identity.user)
            _record(identity, provider_groups)
        return SignIn(refused_because=refused_because)
    if identity is None:
        identity = _first_identity(issuer=issuer, subject=subject, email=email)
    user = identity.user
    user.email = email
    user.first_name = first_name[:150] or user.first_name
    user.last_name = last_name[:150] or user.last_name
    user.is_staff = True
    user.save(update_fields=["email", "first_name", "last_name", "is_staff"])
    staff_groups = _staff_groups()
    user.groups.remove(*[group for name, group in staff_groups.items() if name not in groups])
    user.groups.add(*[staff_groups[name] for name in groups])
    _record(identity, provider_groups)
    return SignIn(user=user)


def _first_identity(*, issuer: str, subject: str, email: str) -> ProviderIdentity:
    """The identity (and user) of someone signing in for the first time. Two first
    sign-ins at once (two tabs) both find nothing; the unique (issuer, subject) lets one
    create, and the other, its savepoint rolled back, takes the winner's."""
    try:
        with transaction.atomic():
            return ProviderIdentity.objects.create(issuer=issuer, subject=subject, user=_user_for(email, subject))
    except IntegrityError:
        return ProviderIdentity.objects.select_for_update().select_related("user").get(issuer=issuer, subject=subject)


def _user_for(email: str, subject: str):
    """The user a person signing in for the first time becomes: staff who already have an
    account with that address (and no provider identity yet) keep it; superusers never
    are taken over, since they are the break-glass accounts; anyone else is new."""
    User = get_user_model()
    existing = (User.objects.filter(email__iexact=email, is_superuser=False, provider_identity__isnull=True)
                .order_by("pk").first())
    if existing:
        return existing
    username = email
    if User.objects.filter(username__iexact=username).exists():  # a password account's name
        username = f"{email[:100]}~{subject[:40]}"
    user = User(username=username, email=email)
    user.set_unusable_password()
    user.save()
    return user


def _revoke_staff(user) -> None:
    if user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.groups.remove(*_staff_groups().values())


def _record(identity: ProviderIdentity, provider_groups: list[str]) -> None:
    identity.provider_groups = sorted(set(provider_groups))
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["provider_groups", "last_sign_in_at"])


def _staff_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in settings.OIDC_STAFF_GROUPS}


def _normalised(email: str) -> str:
    try:
        return normalise_email(email)
    except ValueError:
        return ""
