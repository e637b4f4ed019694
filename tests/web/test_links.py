"""Only http(s) URLs from an export become links in the moderator app."""

from __future__ import annotations

import pytest

from threadguard.web.routes import http_link


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://news.example/story", "https://news.example/story"),
        (" http://news.example/a?b=1 ", "http://news.example/a?b=1"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_are_links(url: str | None, link: str | None) -> None:
    assert http_link(url) == link
