"""Every log line says which request (its X-Request-Id, an error body's request_id) or
which Celery task wrote it; a 500 is logged once, with its traceback."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.celery import app as celery_app
from core.logs import ContextFilter

ROOT = Path(__file__).resolve().parents[2]
REQUEST_ID = "trace-0123456789"

pytestmark = pytest.mark.django_db


# --- a urlconf with views that log and fail -----------------------------------------------


def chatty_view(request):
    logging.getLogger("tests.chatty").info("working on it")
    return HttpResponse("ok")


class BrokenApiView(APIView):
    def get(self, request):
        raise RuntimeError("a bug in an API view")


class QuietApiView(APIView):
    def get(self, request):
        return Response({})


def broken_page(request):
    raise RuntimeError("a bug in a page")


urlpatterns = [
    path("chatty", chatty_view),
    path("v1/broken", BrokenApiView.as_view()),
    path("v1/quiet", QuietApiView.as_view()),
    path("v2/broken-plain", broken_page),
    path("broken-page", broken_page),
    path("", include("config.urls")),
]
handler404 = "core.api.errors.handler404"
handler500 = "core.api.errors.handler500"


@pytest.fixture
def logging_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def log_output():
    """What settings.LOGGING's handler writes, read back: its stream swapped for a buffer."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, ContextFilter) for f in h.filters))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer.getvalue
    handler.setStream(previous)


@pytest.fixture
def client():
    # Answer a view's exception as production does, rather than raising it in the test.
    return Client(raise_request_exception=False, headers={"X-Request-Id": REQUEST_ID})


def test_a_line_logged_while_handling_a_request_carries_its_id(client, logging_urls, log_output):
    response = client.get("/chatty")
    assert response["X-Request-Id"] == REQUEST_ID
    [line] = [line for line in log_output().splitlines() if "working on it" in line]
    assert f"request_id={REQUEST_ID} " in line and "tests.chatty" in line


def test_each_request_gets_its_own_id_in_the_logs(logging_urls, log_output):
    ids = [Client().get("/chatty")["X-Request-Id"] for _ in range(2)]
    lines = [line for line in log_output().splitlines() if "working on it" in line]
    assert ids[0] != ids[1] and [f"request_id={id_} " in line for id_, line in zip(ids, lines)] == [True, True]


def test_a_line_logged_outside_any_request_carries_none(log_output):
    logging.getLogger("tests.outside").warning("between requests")
    [line] = [line for line in log_output().splitlines() if "between requests" in line]
    assert "request_id=- task_id=- " in line


def _assert_logged_once_with_traceback(output: str, path: str, error: str):
    assert output.count(f"Internal Server Error: {path}") == 1, output
    assert output.count(f"RuntimeError: {error}") == 1, output
    assert "Traceback (most recent call last)" in output
    [line] = [line for line in output.splitlines() if f"Internal Server Error: {path}" in line]
    assert f"request_id={REQUEST_ID} " in line and line.split()[2] == "ERROR"


def test_an_api_500_is_logged_once_with_its_id_and_traceback(client, logging_urls, log_output):
    response = client.get("/v1/broken")
    assert response.status_code == 500 and response.json()["request_id"] == REQUEST_ID
    _assert_logged_once_with_traceback(log_output(), "/v1/broken", "a bug in an API view")


@pytest.mark.parametrize("path", ["/v2/broken-plain", "/broken-page"])
def test_a_500_outside_drf_is_logged_once_with_its_id_and_traceback(client, logging_urls, log_output, path):
    assert client.get(path).status_code == 500
    _assert_logged_once_with_traceback(log_output(), path, "a bug in a page")


def test_a_500_is_logged_once_with_debug_on_too(client, logging_urls, log_output, settings):
    settings.DEBUG = True
    client.get("/v1/broken")
    assert log_output().count("Internal Server Error: /v1/broken") == 1


@celery_app.task(name="tests.core.test_logs.chatty_task")
def chatty_task():
    logging.getLogger("tests.task").info("task at work")


def test_a_line_a_task_logs_carries_the_task_id(log_output):
    chatty_task.apply(task_id="task-0123456789")
    logging.getLogger("tests.task").info("after the task")
    lines = log_output().splitlines()
    [during] = [line for line in lines if "task at work" in line]
    [after] = [line for line in lines if "after the task" in line]
    assert "task_id=task-0123456789 " in during and "task_id=- " in after


def test_a_task_run_while_handling_a_request_carries_both_ids(log_output):
    from core.logs import bound, request_id

    with bound(request_id, REQUEST_ID):
        chatty_task.apply(task_id="task-0123456789")
    [line] = [line for line in log_output().splitlines() if "task at work" in line]
    assert f"request_id={REQUEST_ID} task_id=task-0123456789 " in line


# --- in a fresh process: LOG_FORMAT and the worker ------------------------------------------


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "LOG_FORMAT", "LOG_LEVEL"}}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var"), **extra}


JSON_PROBE = """
import logging, django
django.setup()
from core.logs import bound, request_id
with bound(request_id, "trace-0123456789"):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("probe").exception("it failed")
logging.getLogger("probe").info("plain line")
"""


def test_log_format_json_writes_one_object_a_line_with_the_ids(tmp_path):
    result = subprocess.run([sys.executable, "-c", JSON_PROBE], cwd=ROOT, env=_env(tmp_path, LOG_FORMAT="json"),
                            capture_output=True, text=True, check=True)
    objects = [json.loads(line) for line in result.stderr.splitlines()]
    failed, plain = [entry for entry in objects if entry["logger"] == "probe"]
    assert failed["message"] == "it failed" and failed["level"] == "ERROR" and failed["logger"] == "probe"
    assert failed["request_id"] == "trace-0123456789" and failed["task_id"] is None
    assert failed["time"].endswith("+00:00")
    assert "RuntimeError: boom" in failed["exc_info"]
    assert plain["message"] == "plain line" and plain["request_id"] is None


def test_an_unknown_log_format_stops_start_up(tmp_path):
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT,
                            env=_env(tmp_path, LOG_FORMAT="xml"), capture_output=True, text=True)
    assert result.returncode != 0 and "LOG_FORMAT" in result.stderr


def test_a_worker_logs_its_tasks_with_their_ids(tmp_path):
    env = _env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    send = "import django; django.setup(); from statuspages.tasks import advance_maintenance; print(advance_maintenance.delay().id)"
    task_id = subprocess.run([sys.executable, "-c", send], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--without-heartbeat",
                               "--without-gossip", "--without-mingle"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in worker.stderr:  # bounded by the worker's exit below if it never comes
            lines.append(line)
            if task_id in line and "succeeded" in line:
                break
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    [done] = [line for line in lines if "succeeded" in line]
    assert f"task_id={task_id} " in done and " INFO celery.app.trace " in done
