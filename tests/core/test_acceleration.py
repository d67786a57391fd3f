"""The acceleration backend (core/acceleration.py): one setting names it, each app's part is
its plain base or, accelerated, the subclass its accel package registers, and the plain
backend runs without a line of accelerated code."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.accel.backend import Accelerated
from core import acceleration
from core.acceleration import Acceleration, backend, part
from incidents.api.acceleration import IncidentsAcceleration
from notifications.rendering import Messages
from statuspages.caching import PageCache

ROOT = Path(__file__).resolve().parents[2]
PARTS = [IncidentsAcceleration, PageCache, Messages]


@pytest.mark.usefixtures("plain")
def test_the_plain_backend_is_the_base_class_and_so_is_each_part():
    assert type(backend()) is Acceleration
    assert [type(part(base)) for base in PARTS] == PARTS


@pytest.mark.usefixtures("accelerated")
def test_the_accelerated_backend_answers_each_part_with_the_subclass_its_accel_package_registers():
    assert type(backend()) is Accelerated
    chosen = [type(part(base)) for base in PARTS]
    assert [cls.__module__ for cls in chosen] == ["incidents.api.accel", "statuspages.accel", "notifications.accel"]
    assert all(issubclass(cls, base) and cls is not base for cls, base in zip(chosen, PARTS))


PROBE = """
import json, sys
import django
django.setup()
import config.urls
from core.acceleration import backend, part
from incidents.api.acceleration import IncidentsAcceleration
from notifications.rendering import Messages
from statuspages.caching import PageCache
for base in (IncidentsAcceleration, PageCache, Messages):
    part(base)
print(json.dumps(sorted(name for name in sys.modules if name.endswith(".accel") or ".accel." in name)))
"""


@pytest.mark.parametrize("switch", ["false", "true"])
def test_only_the_accelerated_backend_loads_accelerated_code(tmp_path, switch):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var"), "API_ACCELERATION": switch}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    if switch == "false":
        assert loaded == []
    else:
        assert {"core.accel", "incidents.api.accel", "statuspages.accel", "notifications.accel"} <= set(loaded)


def test_version_tokens_outlive_a_deploy_and_the_copies_they_check_do_not(settings):
    # A process still on the release before (a worker not yet restarted) must move the
    # tokens the new release's entries are checked against.
    token, entry = acceleration.token_key("api_keys"), acceleration.api_key_cache_key("abc")
    settings.SITE_URL = "https://status.example.net"  # a new deploy prefix
    assert acceleration.token_key("api_keys") == token and acceleration.api_key_cache_key("abc") != entry
