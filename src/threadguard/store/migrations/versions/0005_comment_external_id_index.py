"""an index on comments.external_id: webhooks find a comment's thread by the source's own id

Revision ID: 0005
Revises: 0004

Mastodon's status ids are unique across a whole instance, but its webhooks do not say which
conversation a reply belongs to: the reply's thread is the one that holds its parent (service/mastodon.py).
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_external_id"), ["external_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_external_id"))
