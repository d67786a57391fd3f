"""The authentication backends of the admin: the provider's, and the password one.

mozilla-django-oidc's backend trades the code for tokens (with the PKCE verifier) and
checks the ID token's signature and nonce, but decodes it with the audience unchecked
(``verify_aud: False``) and the issuer unchecked; ``_verify_jws`` below checks both, so a
token the provider issued to another application is refused.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.services.sign_in import sign_in_through_provider
from core.sign_in.discovery import provider_configuration

logger = logging.getLogger(__name__)

#: the refusal shown on the login page when the provider's answer cannot be trusted
UNTRUSTED = "The identity provider's answer could not be verified."


class ProviderBackend(OIDCAuthenticationBackend):
    """Authorization code with PKCE, for the callback view only (it alone passes a nonce)."""

    def __init__(self, *args, **kwargs):
        # The endpoints come from discovery at sign-in (authenticate), not from settings:
        # this runs for every password login too, and must not call the provider then.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ISSUER or request is None or "nonce" not in kwargs:
            return None
        try:
            configuration = provider_configuration()
            self.OIDC_OP_TOKEN_ENDPOINT = configuration["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = configuration.get("userinfo_endpoint")
            self.OIDC_OP_JWKS_ENDPOINT = configuration["jwks_uri"]
            self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, ImproperlyConfigured, requests.RequestException, KeyError, ValueError) as exc:
            # None makes Django send user_login_failed: django-axes counts it against the
            # client's address like a wrong password (core/login_lockout.py).
            logger.warning("Sign-in through the identity provider refused: %s", exc)
            _refuse(request, UNTRUSTED)
            return None

    def get_user(self, user_id):
        # The library's returns deactivated users too; a session must end with the account.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"the token is signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            claims = jwt.decode(
                payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER, leeway=60,
                options={"require": ["iss", "aud", "sub", "exp", "iat"]},
            )
        except jwt.InvalidAudienceError:
            raise SuspiciousOperation("the ID token was issued for another audience") from None
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"the ID token is not valid: {exc}") from None
        # OpenID Connect Core 3.1.3.7: with several audiences, we must be the authorized party.
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("the ID token names several audiences and another authorized party")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            # OpenID Connect Core 5.3.2: userinfo about someone else is not to be used.
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject than the ID token")
            claims.update(userinfo)
        outcome = sign_in_through_provider(
            issuer=settings.OIDC_ISSUER, subject=str(payload["sub"]), email=claims.get("email") or "",
            email_verified=claims.get("email_verified"), first_name=claims.get("given_name") or "",
            last_name=claims.get("family_name") or "", provider_groups=_groups(claims.get(settings.OIDC_GROUPS_CLAIM)),
        )
        if outcome.refused_because:
            logger.info("Sign-in through the identity provider refused for %s: %s", payload.get("sub"),
                        outcome.refused_because)
            _refuse(self.request, f"You may not sign in here: {outcome.refused_because}.")
        return outcome.user


class PasswordBackend(ModelBackend):
    """Django's password login, for whom ``ADMIN_PASSWORD_LOGIN`` allows: ``all`` staff,
    ``superusers`` only (the break-glass account), or nobody (``off``). Sessions started
    with a password end too when the setting stops allowing them (``get_user``)."""

    def user_can_authenticate(self, user):
        mode = settings.ADMIN_PASSWORD_LOGIN
        if mode == "off" or (mode == "superusers" and not user.is_superuser):
            return False
        return super().user_can_authenticate(user)


def _groups(claim) -> list[str]:
    """A groups claim as a list: most providers send a list, some one string."""
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list):
        return [str(item) for item in claim]
    return []


def _refuse(request, reason: str) -> None:
    # Read by the callback view, which shows it on the login page.
    request.sign_in_refusal = reason
