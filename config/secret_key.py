"""The embedded default's SECRET_KEY: made once at random and kept under VAR_DIR.

Imported by settings only; it reads no environment of its own.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys that are public (in this repository, or Django's startproject prefix): never used
# with DEBUG off, wherever they come from.
KNOWN_DEVELOPMENT_KEYS = frozenset({"insecure-development-key-set-SECRET_KEY-in-production"})
INSECURE_PREFIX = "django-insecure-"


def is_known_development_key(key: str) -> bool:
    return key in KNOWN_DEVELOPMENT_KEYS or key.startswith(INSECURE_PREFIX)


def generated_secret_key(path: Path) -> str:
    """The key in ``path``, created first if missing.

    The file is written whole under a temporary name with mode 0600 and then linked to
    ``path``, which fails if another process got there first: every process of the
    quick start (web server, worker) reads the same key, and none ever reads half a file.
    """
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process linked its key first: everyone uses that one
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it to have a new key made, or set SECRET_KEY")
    return key
