"""Comment threads: the Thread / Comment types, tree repair, context-aware scoring and statistics."""

from threadguard.thread.model import FLAGS, Comment, Thread

__all__ = ["FLAGS", "Comment", "Thread"]
