"""Long texts cut cleanly to each destination's limits; names that look like markup or
mentions stay text; and the shapes themselves refuse what the vendors refuse."""

from datetime import UTC, datetime

import pytest
from jsonschema.exceptions import ValidationError

from notifications.chat import News, render
from notifications.chat.text import ELLIPSIS, cut

from .shapes import assert_matches_shape, discord_embed_total

KINDS = ["slack", "mattermost", "teams", "discord", "json"]
LONG_WORDS = ("word " * 20000).strip()


def _news(**overrides) -> News:
    fields = dict(
        event="update_posted",
        events=("update_posted",),
        incident_id="01HX",
        reference="INC-7",
        name="Checkout errors",
        severity="Critical",
        status="Investigating",
        lead="Ada Lovelace",
        url="https://status.example.com/admin/incidents/incident/01HX/change/",
        private=False,
        occurred_at=datetime(2026, 12, 8, 10, 0, tzinfo=UTC),
        text="We are on it",
    )
    return News(**(fields | overrides))


def test_cut_keeps_short_text_and_ends_long_text_at_a_word_with_an_ellipsis():
    assert cut("short", 10) == "short"
    cut_text = cut("alpha beta gamma delta", 14)
    assert cut_text == "alpha beta…" and len(cut_text) <= 14


def test_cut_splits_a_word_without_spaces_only_when_it_must():
    cut_text = cut("x" * 5000, 3000)
    assert len(cut_text) == 3000 and cut_text.endswith(ELLIPSIS)


@pytest.mark.parametrize("kind", KINDS)
def test_long_texts_and_names_stay_within_the_documented_limits(kind):
    body = render(kind, _news(text=LONG_WORDS, name="N" * 255, lead="L" * 300, severity="S" * 300))
    assert_matches_shape(kind, body)


def test_discord_keeps_every_embed_under_six_thousand_characters_together():
    body = render("discord", _news(text=LONG_WORDS, name="n " * 127, follow_up="f " * 200))
    embed = body["embeds"][0]
    assert discord_embed_total(embed) <= 6000
    assert embed["description"].endswith(ELLIPSIS) and not embed["description"].endswith(" " + ELLIPSIS)


def test_slack_escapes_markup_and_cuts_before_escaping():
    body = render("slack", _news(text="<!channel> & <https://evil.example|click>" + " &" * 3000))
    section = body["blocks"][2]["text"]["text"]
    assert section.startswith("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;")
    assert len(section) <= 3000 and section.endswith(ELLIPSIS)
    assert "&am…" not in section and "&amp" in section[-10:]


def test_discord_mentions_in_a_name_ping_nobody():
    body = render("discord", _news(name="@everyone look"))
    assert body["allowed_mentions"] == {"parse": []}


def test_teams_card_is_schema_1_2_in_the_workflows_envelope():
    body = render("teams", _news())
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["version"] == "1.2"


@pytest.mark.parametrize(
    ("kind", "spoil"),
    [
        ("slack", lambda b: b["blocks"][0]["text"].update(text="h" * 151)),
        ("slack", lambda b: b["blocks"][1]["fields"].extend(b["blocks"][1]["fields"] * 3)),
        ("teams", lambda b: b["attachments"][0]["content"].update(version="1.5")),
        ("teams", lambda b: b["attachments"][0]["content"]["body"].append({"type": "Table", "columns": []})),
        ("discord", lambda b: b.update(content="c" * 2001)),
        ("discord", lambda b: b["embeds"][0].update(description="d" * 4097)),
        ("mattermost", lambda b: b["attachments"][0].update(color="red")),
    ],
)
def test_the_shapes_refuse_what_the_vendors_refuse(kind, spoil):
    body = render(kind, _news())
    assert_matches_shape(kind, body)
    spoil(body)
    with pytest.raises((ValidationError, AssertionError)):
        assert_matches_shape(kind, body)
