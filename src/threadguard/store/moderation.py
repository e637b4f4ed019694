"""The policy's decision for new comments, with what the store knows: the authors' standings and the
community's word lists. The one place that joins the two, for the API and for ingest alike."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from threadguard.policy import Decision, Policy
from threadguard.scores import CommentScore
from threadguard.store import authors, words

NOT_SCORED = Decision("approve", ["no text to score"])


def decide_new(
    session: Session,
    policy: Policy,
    community: str,
    comments: Sequence[tuple[str, str | None, CommentScore | None]],
) -> list[Decision]:
    """One decision per (text, author, score); a comment with no score (nothing left to score) is
    approved unless its author's standing says otherwise."""
    banned, suspect = words.lists(session, community)
    named = [author for _, author, _ in comments if author]
    # the approved count only matters where new authors are premoderated
    known = authors.standings(session, community, named, policy.community(community).premoderate_new > 0)
    decisions = []
    for text, author, score in comments:
        standing = known.get(author) if author else None
        if score is None:
            author_only = policy.decide({}, community, standing=standing)
            decisions.append(author_only if author_only.action != "approve" else NOT_SCORED)
            continue
        decisions.append(
            policy.decide(
                score.attributes, community, targets=score.targets, context_effect=score.context_effect,
                text=text, standing=standing, words=(banned, suspect),
            )
        )  # fmt: skip
    return decisions
