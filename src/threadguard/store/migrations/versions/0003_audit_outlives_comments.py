"""the audit log outlives the comments it describes: no foreign key from audit_log.comment_id

Retention (`threadguard db purge`) deletes old comments but keeps the append-only audit log, whose
entries keep the ids of the comments they were about.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# 0001 created the key without a name: PostgreSQL named it by its convention; SQLite names none, so
# batch mode (which copies the table) is given a convention to address it by.
POSTGRES_NAME = "audit_log_comment_id_fkey"
SQLITE_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
SQLITE_NAME = "fk_audit_log_comment_id_comments"


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(POSTGRES_NAME, "audit_log", type_="foreignkey")
        return
    with op.batch_alter_table("audit_log", naming_convention=SQLITE_NAMING) as batch_op:
        batch_op.drop_constraint(SQLITE_NAME, type_="foreignkey")


def downgrade() -> None:
    name = POSTGRES_NAME if op.get_context().dialect.name == "postgresql" else SQLITE_NAME
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.create_foreign_key(name, "comments", ["comment_id"], ["id"])
