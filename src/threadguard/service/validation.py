"""The one rule every JSON request body goes through before its fields are validated.

Lone UTF-16 surrogates: JSON lets a client write "\\ud800", which Python decodes to a code point with no
UTF-8 form; left in, it fails later, at the database or while encoding the response, as a 500. Every
one, in any string of the body (dictionary keys included), becomes U+FFFD. Text is kept that way on
purpose: the comment is still scored and a moderator still sees it. Ids, tokens, languages and attribute
names get the same rule, so that no field can be forgotten: they then meet their own checks as any
other value would (an unknown attribute or language is still Perspective's 400).
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from threadguard.text.utf16 import replace_lone_surrogates

log = logging.getLogger("threadguard.service")


class RequestBody(BaseModel):
    """Base of every request model (Perspective's and the native API's)."""

    @model_validator(mode="before")
    @classmethod
    def _replace_lone_surrogates(cls, data: Any) -> Any:
        repaired, count = replace_in_json(data)
        if count:
            # the count and the model only: the text itself must not reach the logs (doNotStore)
            log.warning("%s: %d lone UTF-16 surrogate(s) replaced with U+FFFD", cls.__name__, count)
        return repaired


class LenientBody(RequestBody):
    """A body from another product's webhook (Coral, Mastodon): fields we do not read are ignored, so
    that the product's next version, which adds some, keeps working."""

    model_config = ConfigDict(extra="ignore")


def replace_in_json(value: Any) -> tuple[Any, int]:
    """`value` (decoded JSON) with lone surrogates replaced in every string, and how many there were.
    Without any, `value` itself comes back; otherwise a copy, so the caller's data is never changed.
    Iterative: a body nested a thousand levels deep must not end in a RecursionError."""
    if isinstance(value, str):
        return replace_lone_surrogates(value)
    if not isinstance(value, dict | list) or not _has_surrogate(value):
        return value, 0
    count = 0

    def fix(item: Any) -> Any:
        nonlocal count
        if isinstance(item, str):
            item, n = replace_lone_surrogates(item)
            count += n
        return item

    root: dict[Any, Any] | list[Any] = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        pairs = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in pairs:
            if isinstance(item, dict | list):
                copy: Any = {} if isinstance(item, dict) else []
                stack.append((item, copy))
                item = copy
            else:
                item = fix(item)
            if isinstance(target, dict):
                target[fix(key)] = item
            else:
                target.append(item)
    return root, count


def _has_surrogate(value: dict[Any, Any] | list[Any]) -> bool:
    """Whether any string inside holds a surrogate; cheap for the clean bodies nearly all requests are."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if replace_lone_surrogates(item)[1]:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
