"""Sign-ins refused by the admin's login (a wrong password, or an address django-axes has
locked out) are audited: Django's ``user_login_failed``, which axes sends too."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed


def connect() -> None:
    user_login_failed.connect(_login_failed, dispatch_uid="audit.login_failed")


def _login_failed(sender, credentials=None, request=None, **kwargs):
    from audit import services

    username = (credentials or {}).get(get_user_model().USERNAME_FIELD) or (credentials or {}).get("username") or ""
    services.record_failed_login(username=str(username)[:150], request=request)
