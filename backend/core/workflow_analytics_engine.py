"""Analytics over recorded workflow executions, stored with SQLAlchemy (SQLite or PostgreSQL).

`AnalyticsEngine.record_execution` is the collaborator the workflow engine calls when an
execution finishes; the `compute_*` methods answer questions about what was recorded.
Every method takes a synchronous SQLAlchemy `Session`; the database work is synchronous.

Conventions:
- every datetime argument must be timezone-aware (naive ones raise `ValueError`); results
  carry aware UTC datetimes;
- counts, sums, averages, minima and maxima are computed in SQL; the median and the
  percentiles fetch only the one or two values of the ordered `execution_time_ms` column
  they interpolate between;
- an unknown workflow gives zeros, empty buckets or `None`, never an error;
- invalid arguments raise `ValueError` naming the problem, before any SQL: a `workflow_id`
  (recorded or queried) must be a non-empty str of at most 255 characters without NUL, like
  `execution_id`; `execution_time_ms` an int from 0 to 2**63-1 (a BIGINT on both databases)
  and the step counts ints from 0 to 2**31-1; an `error` text holds no NUL. So a value that
  SQLite would store and PostgreSQL refuse (or the reverse) never reaches either.

Percentiles use linear interpolation between the closest ranks (numpy's default "linear"
method): for the n values sorted ascending, rank = p / 100 * (n - 1), and the result is
v[floor(rank)] + (v[floor(rank) + 1] - v[floor(rank)]) * (rank - floor(rank)). The median
is the 50th percentile.

The trend is the least-squares line of `execution_time_ms` against `started_at` measured
in days; its direction is "stable" when fewer than two samples exist or when the slope is
at most `STABLE_SLOPE_FRACTION` (1%) of the mean execution time per day in absolute value.
Its sums are exactly rounded (`math.fsum`), so the result does not depend on row order.

`connect(url)` gives an engine on a database URL (default: `DATABASE_URL`, else in-memory
SQLite) with its schema created: `WorkflowEngine(analytics=connect())`.
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import Float, case, cast, func, select

from core import db
from core.models import EXECUTION_TIME_MS_MAX, ID_MAX_LENGTH, STEP_COUNT_MAX, WorkflowExecution, as_utc
from core.workflow_status import WorkflowExecutionStatus

STATUS_VALUES = tuple(status.value for status in WorkflowExecutionStatus)
SUCCESS = WorkflowExecutionStatus.COMPLETED.value
FAILURE = WorkflowExecutionStatus.FAILED.value
# Each count field with the largest value its column holds on both databases (see core.models).
COUNT_FIELDS = {
    "execution_time_ms": EXECUTION_TIME_MS_MAX,
    "total_steps": STEP_COUNT_MAX,
    "completed_steps": STEP_COUNT_MAX,
    "failed_steps": STEP_COUNT_MAX,
    "skipped_steps": STEP_COUNT_MAX,
}
NUL = "\x00"
BUCKET_SIZES = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
TRUNCATED_FIELDS = {
    "minute": {"second": 0, "microsecond": 0},
    "hour": {"minute": 0, "second": 0, "microsecond": 0},
    "day": {"hour": 0, "minute": 0, "second": 0, "microsecond": 0},
    "week": {"hour": 0, "minute": 0, "second": 0, "microsecond": 0},
}
MAX_BUCKETS = 100_000
STABLE_SLOPE_FRACTION = 0.01
SECONDS_PER_DAY = 86_400.0


def connect(url=None):
    """An `AnalyticsEngine` on the database at `url` (default: `db.database_url()`), schema created."""
    engine = db.make_engine(url)
    db.create_schema(engine)
    return AnalyticsEngine(db.make_session_factory(engine))


class AnalyticsEngine:
    """Records workflow executions and computes metrics over them."""

    def __init__(self, session_factory=None):
        self._session_factory = session_factory

    async def record_execution(
        self,
        *,
        workflow_id,
        execution_id,
        status,
        started_at,
        completed_at,
        execution_time_ms,
        total_steps,
        completed_steps,
        failed_steps,
        skipped_steps,
        error,
        db_session=None,
    ):
        """Validate and store one execution; returns the new row's id.

        Uses `db_session` when given (and commits it), else a session of the factory given
        to the constructor. On any database error the session is rolled back, so no partial
        row is left, and the error propagates.
        """
        row = new_execution_row(
            workflow_id=workflow_id,
            execution_id=execution_id,
            status=status,
            started_at=started_at,
            completed_at=completed_at,
            execution_time_ms=execution_time_ms,
            total_steps=total_steps,
            completed_steps=completed_steps,
            failed_steps=failed_steps,
            skipped_steps=skipped_steps,
            error=error,
        )
        if db_session is not None:
            return persist(db_session, row)
        session = self.new_session()
        try:
            return persist(session, row)
        finally:
            session.close()

    def new_session(self):
        """A new session of the factory given to the constructor (the caller closes it)."""
        if self._session_factory is None:
            raise ValueError("record_execution needs a db_session or an AnalyticsEngine(session_factory=...)")
        return self._session_factory()

    async def compute_workflow_metrics(self, workflow_id, db_session, since=None, until=None):
        """Counts, success rate and execution-time statistics of one workflow.

        `since` (inclusive) and `until` (exclusive) restrict the executions by `started_at`.
        """
        conditions = window_conditions(workflow_id, since, until)
        total, successful, failed, average, minimum, maximum = db_session.execute(
            select(
                func.count(),
                count_where(WorkflowExecution.status == SUCCESS),
                count_where(WorkflowExecution.status == FAILURE),
                cast(func.avg(WorkflowExecution.execution_time_ms), Float),
                func.min(WorkflowExecution.execution_time_ms),
                func.max(WorkflowExecution.execution_time_ms),
            ).where(*conditions)
        ).one()
        return {
            "total": total,
            "successful": successful,
            "failed": failed,
            "success_rate": rate(successful, total),
            "average_execution_time_ms": optional_float(average),
            "median_execution_time_ms": interpolated_percentile(db_session, conditions, total, 50),
            "min_execution_time_ms": minimum,
            "max_execution_time_ms": maximum,
        }

    async def compute_execution_time_series(self, workflow_id, start_time, end_time, granularity, db_session):
        """Per-bucket counts and average execution time over [start_time, end_time).

        Buckets are aligned to UTC (minute, hour and day truncation; weeks start on Monday
        00:00 UTC); the first bucket is the one holding `start_time`. Empty buckets are
        included with zero counts and a `None` average.
        """
        buckets = bucket_starts(start_time, end_time, granularity)
        rows = db_session.execute(
            select(WorkflowExecution.started_at, WorkflowExecution.status, WorkflowExecution.execution_time_ms).where(
                *window_conditions(workflow_id, start_time, end_time)
            )
        ).all()
        totals = {bucket: [0, 0, 0, 0] for bucket in buckets}
        for started_at, status, execution_time_ms in rows:
            add_to_bucket(totals[bucket_start(started_at, granularity)], status, execution_time_ms)
        return [bucket_entry(bucket, totals[bucket]) for bucket in buckets]

    async def compute_percentile(self, workflow_id, percentile, db_session):
        """The `percentile` (0..100) of the execution times, interpolated linearly; None without rows."""
        require_percentile(percentile)
        conditions = window_conditions(workflow_id, None, None)
        total = db_session.execute(select(func.count()).where(*conditions)).scalar_one()
        return interpolated_percentile(db_session, conditions, total, percentile)

    async def compute_success_rate(self, workflow_id, db_session):
        """The fraction (0..1) of the workflow's executions that completed; 0.0 without rows."""
        total, successful = db_session.execute(
            select(func.count(), count_where(WorkflowExecution.status == SUCCESS)).where(
                *window_conditions(workflow_id, None, None)
            )
        ).one()
        return rate(successful, total)

    async def compute_execution_trend(self, workflow_id, db_session):
        """Least-squares trend of execution time against start time (see the module docstring)."""
        rows = db_session.execute(
            select(WorkflowExecution.started_at, WorkflowExecution.execution_time_ms).where(
                *window_conditions(workflow_id, None, None)
            )
        ).all()
        return trend(rows)


# --- recording --------------------------------------------------------------------------------


def new_execution_row(**fields):
    """A validated, not yet stored `WorkflowExecution` built from `record_execution`'s fields."""
    require_id("workflow_id", fields["workflow_id"])
    require_id("execution_id", fields["execution_id"])
    fields["status"] = require_status(fields["status"])
    require_aware("started_at", fields["started_at"])
    if fields["completed_at"] is not None:
        require_aware("completed_at", fields["completed_at"])
        require_order(fields["started_at"], fields["completed_at"])
    for name, maximum in COUNT_FIELDS.items():
        require_count(name, fields[name], maximum)
    require_step_total(fields)
    require_error(fields["error"])
    return WorkflowExecution(**fields)


def persist(session, row):
    """Add `row` and commit; roll back and re-raise on any error. Returns the row's id."""
    try:
        session.add(row)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return row.id


def require_id(name, value):
    """A non-empty str of at most `ID_MAX_LENGTH` characters without NUL (what both databases store)."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if len(value) > ID_MAX_LENGTH:
        raise ValueError(f"{name} must be at most {ID_MAX_LENGTH} characters long, got {len(value)}")
    require_no_nul(name, value)


def require_no_nul(name, value):
    if NUL in value:
        raise ValueError(f"{name} must not contain a NUL character (at {value.index(NUL)})")


def require_status(status):
    """The status as its plain string value (a `WorkflowExecutionStatus` is a `str`)."""
    if not isinstance(status, str) or status not in STATUS_VALUES:
        raise ValueError(f"status must be one of {', '.join(STATUS_VALUES)}, got {status!r}")
    return WorkflowExecutionStatus(status).value


def require_aware(name, value):
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {value!r}")
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def require_order(started_at, completed_at):
    if completed_at < started_at:
        raise ValueError(f"completed_at {completed_at.isoformat()} is before started_at {started_at.isoformat()}")


def require_count(name, value, maximum):
    """An int (not a bool) from 0 to `maximum`, the largest its column holds."""
    if type(value) is not int or not 0 <= value <= maximum:
        raise ValueError(f"{name} must be an integer from 0 to {maximum}, got {value!r}")


def require_step_total(fields):
    finished = fields["completed_steps"] + fields["failed_steps"] + fields["skipped_steps"]
    if finished > fields["total_steps"]:
        raise ValueError(
            f"completed_steps + failed_steps + skipped_steps ({finished}) exceeds total_steps ({fields['total_steps']})"
        )


def require_error(error):
    if error is None:
        return
    if not isinstance(error, str):
        raise ValueError(f"error must be a string or None, got {error!r}")
    require_no_nul("error", error)


# --- querying ---------------------------------------------------------------------------------


def window_conditions(workflow_id, since, until):
    """SQL conditions for one workflow's executions started in [since, until) (either may be None)."""
    require_id("workflow_id", workflow_id)
    conditions = [WorkflowExecution.workflow_id == workflow_id]
    if since is not None:
        require_aware("since", since)
        conditions.append(WorkflowExecution.started_at >= since)
    if until is not None:
        require_aware("until", until)
        conditions.append(WorkflowExecution.started_at < until)
    if since is not None and until is not None and since >= until:
        raise ValueError(f"since {since.isoformat()} must be before until {until.isoformat()}")
    return conditions


def count_where(condition):
    """A portable SQL count of the rows satisfying `condition` (0, not NULL, without rows)."""
    return func.count(case((condition, WorkflowExecution.id)))


def rate(part, total):
    return part / total if total else 0.0


def optional_float(value):
    return None if value is None else float(value)


def require_percentile(percentile):
    if isinstance(percentile, bool) or not isinstance(percentile, (int, float)):
        raise ValueError(f"percentile must be a number, got {percentile!r}")
    if not 0 <= percentile <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {percentile!r}")


def interpolated_percentile(session, conditions, total, percentile):
    """The linearly interpolated percentile of `total` matching rows, fetching one or two values."""
    if total == 0:
        return None
    rank = percentile / 100 * (total - 1)
    lower = math.floor(rank)
    fraction = rank - lower
    if fraction == 0:
        (value,) = ordered_times(session, conditions, lower, 1)
        return float(value)
    below, above = ordered_times(session, conditions, lower, 2)
    return below + (above - below) * fraction


def ordered_times(session, conditions, offset, count):
    """`count` execution times of the matching rows from position `offset` in ascending order."""
    return session.scalars(
        select(WorkflowExecution.execution_time_ms)
        .where(*conditions)
        .order_by(WorkflowExecution.execution_time_ms)
        .offset(offset)
        .limit(count)
    ).all()


def bucket_start(moment, granularity):
    """The start of the UTC bucket of `granularity` holding `moment`."""
    start = as_utc(moment).replace(**TRUNCATED_FIELDS[granularity])
    if granularity == "week":
        return start - timedelta(days=start.weekday())
    return start


def bucket_starts(start_time, end_time, granularity):
    """The starts of the buckets covering [start_time, end_time), validating the arguments."""
    if granularity not in BUCKET_SIZES:
        raise ValueError(f"granularity must be one of {', '.join(BUCKET_SIZES)}, got {granularity!r}")
    require_aware("start_time", start_time)
    require_aware("end_time", end_time)
    if start_time >= end_time:
        raise ValueError(f"start_time {start_time.isoformat()} must be before end_time {end_time.isoformat()}")
    first = bucket_start(start_time, granularity)
    size = BUCKET_SIZES[granularity]
    count = math.ceil((end_time - first) / size)
    if count > MAX_BUCKETS:
        raise ValueError(f"the range holds {count} {granularity} buckets, more than the limit of {MAX_BUCKETS}")
    return [first + size * index for index in range(count)]


def add_to_bucket(totals, status, execution_time_ms):
    """Add one execution to a bucket's [count, successes, failures, total time]."""
    totals[0] += 1
    totals[1] += status == SUCCESS
    totals[2] += status == FAILURE
    totals[3] += execution_time_ms


def bucket_entry(bucket, totals):
    count, successes, failures, total_time = totals
    return {
        "timestamp": bucket,
        "count": count,
        "success_count": successes,
        "failure_count": failures,
        "average_execution_time_ms": total_time / count if count else None,
    }


def trend(rows):
    """Direction, slope (ms per day), R² and sample count of (started_at, execution_time_ms) rows."""
    samples = len(rows)
    if samples < 2:
        return trend_result("stable", 0.0, 0.0, samples)
    # Days since the earliest start keep the numbers small; the fit does not depend on the origin.
    origin = min(started_at for started_at, _ in rows)
    xs = [(started_at - origin).total_seconds() / SECONDS_PER_DAY for started_at, _ in rows]
    ys = [float(execution_time_ms) for _, execution_time_ms in rows]
    mean_x = math.fsum(xs) / samples
    mean_y = math.fsum(ys) / samples
    # Centred once, so the sums below cannot silently absorb a wrong mean.
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = math.fsum(x * x for x in dx)
    syy = math.fsum(y * y for y in dy)
    sxy = math.fsum(x * y for x, y in zip(dx, dy))
    slope = sxy / sxx if sxx else 0.0
    confidence = sxy * sxy / (sxx * syy) if sxx and syy else 0.0
    return trend_result(direction(slope, mean_y), slope, confidence, samples)


def direction(slope, mean):
    """The trend's direction: stable unless `slope` exceeds 1% of `mean` per day in size."""
    threshold = STABLE_SLOPE_FRACTION * abs(mean)
    if slope > threshold:
        return "increasing"
    if slope < -threshold:
        return "decreasing"
    return "stable"


def trend_result(direction_name, slope, confidence, samples):
    return {
        "direction": direction_name,
        "slope_ms_per_day": slope,
        "confidence": confidence,
        "samples": samples,
    }
