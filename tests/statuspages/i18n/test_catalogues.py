"""Every string the public site shows is in each shipped language's catalogue, translated
(not empty, not fuzzy, its placeholders kept), and the compiled catalogues Django reads
(.mo, committed) say what the sources (.po) say."""

import pytest

from .catalogues import SHIPPED, catalogue, marked, mo_file, placeholders, template_messages, template_names

APPS = ["statuspages", "notifications"]


def test_the_public_templates_mark_their_words_for_translation():
    # The extraction itself can fail: a template the public reads marks strings.
    assert len(template_names("statuspages")) >= 10 and len(template_names("notifications")) >= 10
    assert (None, "Incident history") in template_messages("statuspages/base.html")
    assert (None, "Published %(published)s") in template_messages("statuspages/page.html")
    assert ("status within a sentence", "major outage") in marked("statuspages")


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("app", APPS)
def test_every_public_string_is_in_the_catalogue_and_translated(app, language):
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalogue(app, language)}
    wanted = marked(app)
    missing = sorted(key for key in wanted if key not in entries and not any(
        # a plural's second form is the same entry's msgid_plural
        e.msgid_plural == key[1] and e.msgctxt == key[0] for e in entries.values()))
    assert not missing, f"{app}/{language}: not in the catalogue (run makemessages): {missing}"
    for key in wanted:
        entry = entries.get(key)
        if entry is None:
            continue
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert all(forms) and not entry.fuzzy and not entry.obsolete, f"{app}/{language}: untranslated {key}"
        for form in forms:
            wanted_names = placeholders(entry.msgid)
            assert set(placeholders(form)) <= set(wanted_names + placeholders(entry.msgid_plural or "")), (key, form)
            if not entry.msgid_plural:
                assert placeholders(form) == wanted_names, f"{app}/{language}: {key} loses a placeholder: {form}"


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalogue_matches_its_source(app, language):
    source = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in catalogue(app, language) if not e.obsolete}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo_file(app, language) if e.msgid}
    assert compiled == source, f"{app}/{language}: django.mo is stale; compile it (docs/status-pages.md)"
