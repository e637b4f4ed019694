"""Page families of saved HTML comment pages, one module each.

Every family module exposes `detect(tree) -> bool` (does this page carry its comment markup?) and
`comments(tree) -> list[Comment]` (every comment element it recognises, parents set from nesting or
explicit reply-to, in page order). `FAMILIES` is the order `html_page` tries them in: markup that
another family's would also match comes first (Stack Exchange's ul.comments-list looks like WordPress).
"""

from __future__ import annotations

from types import ModuleType

from threadguard.ingest.html import (
    drupal,
    epoch,
    phpbb,
    reddit,
    stackexchange,
    vbulletin,
    wordpress,
    wpdiscuz,
    xenforo,
)

FAMILIES: tuple[ModuleType, ...] = (
    stackexchange,
    wpdiscuz,
    epoch,
    wordpress,
    drupal,
    vbulletin,
    xenforo,
    phpbb,
    reddit,
)


def family_of(tree: object) -> ModuleType | None:
    """The first family whose markup is on the page, or None."""
    return next((family for family in FAMILIES if family.detect(tree)), None)
