"""One spelling per mailbox (core/email_addresses.py): what every per-address limit counts."""

import pytest

from core.email_addresses import InvalidAddress, normalise_email

SAME_MAILBOX = [
    "victim@example.com",
    "Victim@EXAMPLE.com",
    " victim@example.com ",
    '"victim"@example.com',
    '"v\\ictim"@example.com',
    '"\\v\\i\\c\\t\\i\\m"@Example.COM',
]


@pytest.mark.parametrize("spelling", SAME_MAILBOX)
def test_every_spelling_of_one_mailbox_is_one_address(spelling):
    assert normalise_email(spelling) == "victim@example.com"


def test_an_internationalised_domain_is_idna_encoded_and_lower_cased():
    assert normalise_email("ann@BÜCHER.de") == "ann@xn--bcher-kva.de"


@pytest.mark.parametrize(
    "address",
    [
        '"vic\tim"@example.com',  # whitespace or controls inside quotes
        '"vic tim"@example.com',
        '"vic\x00tim"@example.com',
        '"vic\x7ftim"@example.com',
        "victim@[127.0.0.1]",  # IP literals
        "victim@[IPv6:2001:db8::1]",
        "victim@localhost",  # no mail system delivers there
        "victim@example",
        "victim@example.invalid",
        "victim@host.test",
        "victim@example.com\r\nBcc: all@example.com",
        "vïctim@example.com",  # our mail leaves without SMTPUTF8
        "a" * 65 + "@example.com",  # 64 before the @ at most
        "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 60 + ".com",  # 254 at most
        "x" * 5000,
        "",
        "@example.com",
        "victim@",
        "Victim <victim@example.com>",
        None,
        ["victim@example.com"],
    ],
)
def test_addresses_no_mail_system_would_deliver_are_refused(address):
    with pytest.raises(InvalidAddress):
        normalise_email(address)


def test_an_address_of_254_characters_is_taken():
    address = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"
    assert len(address) == 254 and normalise_email(address) == address
