"""The ORM model of recorded workflow executions (SQLAlchemy 2.x declarative).

One `WorkflowExecution` row per finished execution, as reported by the workflow engine to
the analytics engine. Timestamps are stored in UTC: `UTCDateTime` converts aware values to
UTC on the way in and gives aware UTC values back on the way out, whatever the database
returns (SQLite returns naive datetimes, which are treated as UTC; PostgreSQL returns aware
ones in the session's time zone, which are converted to UTC).

Every column holds the same range on SQLite and PostgreSQL, and the analytics engine checks
values against it before inserting (constants below): `execution_time_ms` is a BIGINT
(0..2**63-1 ms), the step counts are INTEGERs (0..2**31-1), ids are at most 255 characters,
and no text holds a NUL character (PostgreSQL cannot store one).
"""

from datetime import timezone

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID_MAX_LENGTH = 255
EXECUTION_TIME_MS_MAX = 2**63 - 1  # BIGINT, signed 64 bits, on both databases
STEP_COUNT_MAX = 2**31 - 1  # INTEGER, signed 32 bits, on PostgreSQL


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
    workflow_id: Mapped[str] = mapped_column(String(ID_MAX_LENGTH), index=True)
    execution_id: Mapped[str] = mapped_column(String(ID_MAX_LENGTH), unique=True)
    status: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[object] = mapped_column(UTCDateTime())
    completed_at: Mapped[object] = mapped_column(UTCDateTime(), nullable=True)
    execution_time_ms: Mapped[int] = mapped_column(BigInteger)
    total_steps: Mapped[int] = mapped_column(Integer)
    completed_steps: Mapped[int] = mapped_column(Integer)
    failed_steps: Mapped[int] = mapped_column(Integer)
    skipped_steps: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
