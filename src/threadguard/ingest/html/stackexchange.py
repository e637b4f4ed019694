"""Stack Exchange questions: the question is the article; each answer (<div id="answer-N" class="answer">)
is a top-level comment, and the short comments under a post (<li id="comment-N" class="comment">) reply to
that post (to the article, for comments under the question). Ids keep their "answer-" / "comment-"
prefix because answers and comments are numbered separately."""

from __future__ import annotations

from lxml import etree

from threadguard.ingest.html.markup import Fields, has_class, path_id, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

ANSWER = Fields(author=(), date=(), content=("js-post-body", "post-text"))
COMMENT = Fields(
    author=("comment-user",), date=("relativetime-clean", "comment-date"), content=("comment-copy",)
)


def detect(tree: Element) -> bool:
    return bool(tree.xpath(f"//*[@id='question'][.//*[{has_class('js-post-body', 'post-text')}]]"))


def comments(tree: Element) -> list[Comment]:
    found: list[Comment] = []
    for question in tree.xpath("//*[@id='question']"):
        found.extend(_comments_under(question, None))
    for answer in tree.xpath(f"//*[{has_class('answer')}][starts-with(@id, 'answer-')]"):
        comment_box = answer.xpath(f".//*[{has_class('comments')}]")
        reply = read_comment(answer, ANSWER, answer.get("id"), None, drop=comment_box)
        reply.author, reply.created = _signature(answer)
        if reply.author:
            reply.flags.discard("author_missing")
        found.append(reply)
        found.extend(_comments_under(answer, reply.id))
    return found


def _comments_under(post: Element, parent_id: str | None) -> list[Comment]:
    found = []
    for item in post.xpath(f".//li[{has_class('comment')}]"):
        comment = read_comment(item, COMMENT, item.get("id") or path_id(item), parent_id)
        if comment.created:
            comment.created = comment.created.split(", License")[0]
        found.append(comment)
    return found


def _signature(post: Element) -> tuple[str | None, str | None]:
    """Author and time of a post: its last signature block ("answered …"; an earlier one may be an editor)."""
    signatures = post.xpath(f".//*[{has_class('post-signature')}]")
    if not signatures:
        return None, None
    stamp = signatures[-1].xpath(f".//*[{has_class('relativetime')}]/@title")
    details = signatures[-1].xpath(f".//*[{has_class('user-details')}]")
    # A deleted account's name is plain text in .user-details, before the reputation badges.
    link = details[0].xpath("./a") if details else []
    name = link[0].text_content() if link else details[0].text if details else None
    return " ".join((name or "").split()) or None, stamp[0] if stamp else None
