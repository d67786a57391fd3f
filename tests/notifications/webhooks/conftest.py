import json
from pathlib import Path

import pytest

from .receiver import Receiver

FULL_DOCUMENT = Path(__file__).resolve().parents[2] / "reference" / "incident-io-openapi-full.json"


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The receivers listen on loopback, which deliveries refuse unless allowed."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]


@pytest.fixture
def receiver():
    started = Receiver().start()
    yield started
    started.stop()


@pytest.fixture
def second_receiver():
    started = Receiver().start()
    yield started
    started.stop()


def bodies(receiver) -> list[dict]:
    return [json.loads(request["body"]) for request in receiver.requests]
