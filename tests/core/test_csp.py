"""The CSP middleware: django-csp's policy, built once for the responses that change nothing."""

from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from core.csp import CSPMiddleware


def _answer(view):
    request = RequestFactory().get("/v2/incidents")
    middleware = CSPMiddleware(view)
    return middleware(request)["Content-Security-Policy"]


def test_a_plain_response_gets_django_csps_policy():
    policy = _answer(lambda request: HttpResponse("{}"))
    assert policy == build_policy() and "default-src 'self'" in policy


def test_a_response_that_used_a_nonce_gets_it_in_its_policy():
    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    policy = _answer(view)
    assert "script-src 'self' 'nonce-" in policy


def test_a_response_changed_by_a_decorator_gets_its_own_policy():
    policy = _answer(csp_update({"img-src": ["https://cdn.example.com"]})(lambda request: HttpResponse("")))
    assert "img-src 'self' data: https://cdn.example.com" in policy


def test_a_change_of_settings_changes_the_policy(settings):
    _answer(lambda request: HttpResponse(""))  # the policy built from the settings before
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _answer(lambda request: HttpResponse("")) == "default-src 'none'"


def test_django_csps_own_rules_still_hold_with_debug_on(settings):
    settings.DEBUG = True  # django-csp leaves Django's debug 404 and 500 pages alone
    request = RequestFactory().get("/nowhere")
    assert "Content-Security-Policy" not in CSPMiddleware(lambda request: HttpResponse(status=404))(request)
