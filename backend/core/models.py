"""The ORM model of recorded workflow executions (SQLAlchemy 2.x declarative).

One `WorkflowExecution` row per finished execution, as reported by the workflow engine to
the analytics engine. Timestamps are stored in UTC: `UTCDateTime` converts aware values to
UTC on the way in and gives aware UTC values back on the way out, whatever the database
returns (SQLite returns naive datetimes, which are treated as UTC; PostgreSQL returns aware
ones in the session's time zone, which are converted to UTC).
"""

from datetime import timezone

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def as_utc(value):
    """`value` as an aware UTC datetime: naive values are taken to be UTC; None stays None."""
    if value is None:
        return None
    if value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timezone-aware DateTime column whose values are always stored and read as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return as_utc(value)

    def process_result_value(self, value, dialect):
        return as_utc(value)


class Base(DeclarativeBase):
    """The declarative base of every table of `core`."""


class WorkflowExecution(Base):
    """One finished workflow execution: its outcome, timing and step counts."""

    __tablename__ = "workflow_executions"
    __table_args__ = (
        CheckConstraint("execution_time_ms >= 0", name="ck_workflow_executions_time_not_negative"),
        CheckConstraint(
            "total_steps >= 0 AND completed_steps >= 0 AND failed_steps >= 0 AND skipped_steps >= 0",
            name="ck_workflow_executions_steps_not_negative",
        ),
        Index("ix_workflow_executions_workflow_started", "workflow_id", "started_at"),
        Index("ix_workflow_executions_workflow_time", "workflow_id", "execution_time_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workflow_id: Mapped[str] = mapped_column(String(255), index=True)
    execution_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[object] = mapped_column(UTCDateTime())
    completed_at: Mapped[object] = mapped_column(UTCDateTime(), nullable=True)
    execution_time_ms: Mapped[int] = mapped_column(Integer)
    total_steps: Mapped[int] = mapped_column(Integer)
    completed_steps: Mapped[int] = mapped_column(Integer)
    failed_steps: Mapped[int] = mapped_column(Integer)
    skipped_steps: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
