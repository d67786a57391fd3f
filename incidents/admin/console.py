"""What other apps add to the incident page, without this app importing them (apps
depend downwards: status pages and alerts build on incidents).

Cards: an app registers a ``Card`` (alerts: the alerts attached to the incident), and the
page shows what each renders, after its own cards.

An app registers an ``UpdateExtension`` (status pages: publish the update on a linked
status page incident). The page asks each for its form fields, and after the incident's
update is posted calls ``apply`` in the same transaction: one submit, one timeline entry,
all or nothing.
"""

from __future__ import annotations

from typing import Protocol

from django import forms


class UpdateExtension(Protocol):
    #: a heading for the extension's fields on the form
    title: str

    def load(self, incident) -> object:
        """What the extension needs to know about ``incident`` (a constant number of queries)."""

    def fields(self, incident, loaded) -> dict[str, forms.Field]:
        """Extra fields for the update form; names must be unique to the extension."""

    def apply(self, *, incident, update, data: dict, loaded, actor) -> str | None:
        """Act on the posted update; returns a sentence for the staff member, or None.
        Raising a DomainError rolls back the update too."""


UPDATE_EXTENSIONS: list[UpdateExtension] = []


def register_update_extension(extension: UpdateExtension) -> UpdateExtension:
    UPDATE_EXTENSIONS.append(extension)
    return extension


class Card(Protocol):
    def render(self, request, incident) -> str:
        """The card's HTML (a ``<section class="inc-card">``, escaped), or "" for none;
        a constant number of queries."""


CARDS: list[Card] = []


def register_card(card: Card) -> Card:
    CARDS.append(card)
    return card
