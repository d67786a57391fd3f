import json
from pathlib import Path

import pytest

from .receiver import Receiver

FULL_DOCUMENT = Path(__file__).resolve().parents[2] / "reference" / "incident-io-webhooks.json"


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
