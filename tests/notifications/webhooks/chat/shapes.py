"""Each chat destination's documented shape as JSON Schema, written from the vendors'
documents (summarised in shared/reference/alerts-and-webhooks.md) with their limits:

- Slack incoming webhooks: ``text`` and Block Kit ``blocks`` (api.slack.com/reference/block-kit):
  a header's plain text at most 150 characters, a section's text 3,000, at most 10 fields of
  2,000, a button's text 75 and URL 3,000, at most 50 blocks;
- Mattermost incoming webhooks: Slack-compatible ``text`` and ``attachments`` (``fallback``,
  ``color``, ``title``, ``title_link``, ``text``, ``fields[{short, title, value}]``), a post at
  most 16,383 characters;
- Teams Workflows: ``{"type": "message", "attachments": [{"contentType":
  "application/vnd.microsoft.card.adaptive", "content": AdaptiveCard 1.2}]}`` with only the
  elements and actions schema 1.2 defines;
- Discord: ``content`` at most 2,000, at most 10 embeds with title 256, description 4,096,
  at most 25 fields (name 256, value 1,024), footer 2,048, 6,000 over an embed's texts.
"""

from jsonschema import Draft202012Validator

_text = {"type": "object", "required": ["type", "text"], "properties": {"type": {"enum": ["plain_text", "mrkdwn"]}}}


def _plain(limit):
    return {
        "type": "object",
        "required": ["type", "text"],
        "properties": {"type": {"const": "plain_text"}, "text": {"type": "string", "minLength": 1, "maxLength": limit}, "emoji": {"type": "boolean"}},
        "additionalProperties": False,
    }


def _mrkdwn(limit):
    return {
        "type": "object",
        "required": ["type", "text"],
        "properties": {"type": {"const": "mrkdwn"}, "text": {"type": "string", "minLength": 1, "maxLength": limit}},
        "additionalProperties": False,
    }


SLACK = {
    "type": "object",
    "required": ["text", "blocks"],
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 40000},
        "blocks": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["type", "text"],
                        "properties": {"type": {"const": "header"}, "text": _plain(150), "block_id": {"maxLength": 255}},
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["type"],
                        "anyOf": [{"required": ["text"]}, {"required": ["fields"]}],
                        "properties": {
                            "type": {"const": "section"},
                            "text": {"oneOf": [_mrkdwn(3000), _plain(3000)]},
                            "fields": {"type": "array", "minItems": 1, "maxItems": 10, "items": {"oneOf": [_mrkdwn(2000), _plain(2000)]}},
                        },
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["type", "elements"],
                        "properties": {
                            "type": {"const": "actions"},
                            "elements": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": 25,
                                "items": {
                                    "type": "object",
                                    "required": ["type", "text"],
                                    "properties": {
                                        "type": {"const": "button"},
                                        "text": _plain(75),
                                        "url": {"type": "string", "format": "uri", "maxLength": 3000},
                                    },
                                    "additionalProperties": False,
                                },
                            },
                        },
                        "additionalProperties": False,
                    },
                ]
            },
        },
    },
    "additionalProperties": False,
}

MATTERMOST = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "maxLength": 16383},
        "username": {"type": "string"},
        "icon_url": {"type": "string"},
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fallback"],
                "properties": {
                    "fallback": {"type": "string"},
                    "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                    "title": {"type": "string"},
                    "title_link": {"type": "string", "format": "uri"},
                    "text": {"type": "string", "maxLength": 16383},
                    "fields": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["title", "value"],
                            "properties": {"short": {"type": "boolean"}, "title": {"type": "string"}, "value": {"type": "string"}},
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

_text_block = {
    "type": "object",
    "required": ["type", "text"],
    "properties": {
        "type": {"const": "TextBlock"},
        "text": {"type": "string"},
        "wrap": {"type": "boolean"},
        "weight": {"enum": ["Default", "Lighter", "Bolder"]},
        "size": {"enum": ["Default", "Small", "Medium", "Large", "ExtraLarge"]},
    },
    "additionalProperties": False,
}
_fact_set = {
    "type": "object",
    "required": ["type", "facts"],
    "properties": {
        "type": {"const": "FactSet"},
        "facts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "value"],
                "properties": {"title": {"type": "string"}, "value": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
ADAPTIVE_CARD_1_2 = {
    "type": "object",
    "required": ["type", "version", "body"],
    "properties": {
        "$schema": {"const": "http://adaptivecards.io/schemas/adaptive-card.json"},
        "type": {"const": "AdaptiveCard"},
        "version": {"const": "1.2"},
        "body": {"type": "array", "items": {"oneOf": [_text_block, _fact_set]}},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "url"],
                "properties": {"type": {"const": "Action.OpenUrl"}, "title": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
TEAMS = {
    "type": "object",
    "required": ["type", "attachments"],
    "properties": {
        "type": {"const": "message"},
        "attachments": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["contentType", "content"],
                "properties": {
                    "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                    "contentUrl": {"type": "null"},
                    "content": ADAPTIVE_CARD_1_2,
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

DISCORD = {
    "type": "object",
    "anyOf": [{"required": ["content"]}, {"required": ["embeds"]}],
    "properties": {
        "content": {"type": "string", "maxLength": 2000},
        "allowed_mentions": {"type": "object", "properties": {"parse": {"type": "array"}}},
        "embeds": {
            "type": "array",
            "maxItems": 10,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "maxLength": 256},
                    "url": {"type": "string", "format": "uri"},
                    "description": {"type": "string", "maxLength": 4096},
                    "color": {"type": "integer", "minimum": 0, "maximum": 0xFFFFFF},
                    "timestamp": {"type": "string", "format": "date-time"},
                    "footer": {
                        "type": "object",
                        "required": ["text"],
                        "properties": {"text": {"type": "string", "maxLength": 2048}},
                        "additionalProperties": False,
                    },
                    "fields": {
                        "type": "array",
                        "maxItems": 25,
                        "items": {
                            "type": "object",
                            "required": ["name", "value"],
                            "properties": {
                                "name": {"type": "string", "minLength": 1, "maxLength": 256},
                                "value": {"type": "string", "minLength": 1, "maxLength": 1024},
                                "inline": {"type": "boolean"},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

GENERIC = {
    "type": "object",
    "required": ["event", "events", "incident", "previous", "text", "occurred_at"],
    "properties": {
        "event": {"enum": ["declared", "resolved", "status_changed", "severity_changed", "update_posted", "follow_up_created"]},
        "incident": {
            "type": "object",
            "required": ["id", "reference", "name", "severity", "status", "lead", "visibility", "url"],
            "properties": {"visibility": {"enum": ["public", "private"]}, "url": {"type": "string", "format": "uri"}},
        },
    },
}

SHAPES = {"slack": SLACK, "mattermost": MATTERMOST, "teams": TEAMS, "discord": DISCORD, "json": GENERIC}


def discord_embed_total(embed: dict) -> int:
    """Discord counts title, description, field names and values, footer and author
    text together against 6,000."""
    fields = sum(len(field["name"]) + len(field["value"]) for field in embed.get("fields", []))
    return len(embed.get("title", "")) + len(embed.get("description", "")) + fields + len(embed.get("footer", {}).get("text", ""))


def assert_matches_shape(kind: str, body: dict) -> None:
    Draft202012Validator(SHAPES[kind], format_checker=Draft202012Validator.FORMAT_CHECKER).validate(body)
    if kind == "discord":
        for embed in body.get("embeds", []):
            assert discord_embed_total(embed) <= 6000
