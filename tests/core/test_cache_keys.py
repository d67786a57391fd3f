"""Cache keys (core/cache_keys.py): derived entries live under a prefix that moves with the
code and with every setting that shapes a response; state does not."""

from core import cache_keys


def test_a_derived_key_names_its_kind_and_the_deploy():
    key = cache_keys.cache_key("rendering", "v2", "01J")
    assert key == f"rendering:{cache_keys.deploy_version()}:v2:01J"


def test_a_setting_that_shapes_responses_moves_the_prefix(settings):
    before = cache_keys.cache_key("rendering", "x")
    settings.SITE_URL = "https://status.example.net"
    assert cache_keys.cache_key("rendering", "x") != before


def test_a_setting_that_shapes_nothing_keeps_the_prefix(settings):
    before = cache_keys.cache_key("rendering", "x")
    settings.API_RATE_LIMIT_PER_MINUTE = 7
    assert cache_keys.cache_key("rendering", "x") == before


def test_the_code_version_covers_templates_and_the_markdown_sanitiser(monkeypatch, tmp_path):
    cache_keys.code_version.cache_clear()
    try:
        before = cache_keys.code_version()
        root = tmp_path / "root"
        for package in cache_keys.PACKAGES:
            (root / package).mkdir(parents=True)
        (root / "core" / "markdown.py").write_text("ALLOWED = {'p'}\n")
        (root / "statuspages" / "page.html").write_text("<p>{{ x }}</p>\n")
        monkeypatch.setattr(cache_keys, "_ROOT", root)
        cache_keys.code_version.cache_clear()
        first = cache_keys.code_version()
        (root / "core" / "markdown.py").write_text("ALLOWED = {'p', 'a'}\n")
        cache_keys.code_version.cache_clear()
        second = cache_keys.code_version()
        (root / "statuspages" / "page.html").write_text("<p>{{ x|upper }}</p>\n")
        cache_keys.code_version.cache_clear()
        third = cache_keys.code_version()
        assert len({before, first, second, third}) == 4
    finally:
        cache_keys.code_version.cache_clear()


def test_state_is_kept_across_deploys():
    assert cache_keys.state_key("rate", "api-key", "abc") == "rate:api-key:abc"
