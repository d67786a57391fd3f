"""One spelling per mailbox: every email address a visitor or a client gives us is
normalised here, once, before it is stored, compared or counted.

Parsing is email-validator's (RFC 5321/5322 syntax, IDNA 2008, no DNS: deliverability is
not checked, so nothing here waits on the network). On top of its answer:

- the domain is lower-cased and IDNA-encoded (``Bücher.DE`` is ``xn--bcher-kva.de``);
- a quoted local part that needs no quotes loses them, and backslash escapes that need
  none go (``"victim"@x``, ``"v\\ictim"@x`` and ``victim@x`` are one address);
- the whole address is lower-cased, as every address was stored before: one row per
  address whatever its spelling (no mail system of note treats case as a difference);
- refused: a quoted local part holding whitespace or a control character, a domain
  that is an IP literal (``victim@[127.0.0.1]``), a domain no mail system would deliver
  to (one label, ``localhost``, ``.invalid``, ``.test``...), non-ASCII local parts (our
  mail goes out without SMTPUTF8), and anything over 254 characters (64 before the @).

Every per-address limit counts what ``normalise_email`` returns.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

#: RFC 5321's longest path (the ``email`` columns are this long)
MAX_LENGTH = 254
#: input longer than this is refused without parsing it
_MAX_INPUT = 1024
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


class InvalidAddress(ValueError):
    """Not an address we can mail; ``reason`` says why, in words for a person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise_email(text: object) -> str:
    """The one spelling of the mailbox ``text`` names, or ``InvalidAddress``."""
    if not isinstance(text, str):
        raise InvalidAddress("An email address must be text.")
    if len(text) > _MAX_INPUT:
        raise InvalidAddress(f"An email address is at most {MAX_LENGTH} characters long.")
    try:
        parsed = validate_email(
            text.strip(),
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=True,
            allow_domain_literal=False,
            allow_display_name=False,
            allow_empty_local=False,
            globally_deliverable=True,
            strict=True,  # 64 characters at most before the @
        )
    except EmailNotValidError as exc:
        raise InvalidAddress(str(exc)) from None
    local, domain = parsed.ascii_local_part, parsed.ascii_domain
    if local.startswith('"') and _SPACE_OR_CONTROL.search(local):
        raise InvalidAddress("A quoted part before the @-sign may not hold spaces or control characters.")
    address = f"{local}@{domain}".lower()
    if len(address) > MAX_LENGTH:
        raise InvalidAddress(f"An email address is at most {MAX_LENGTH} characters long.")
    return address
