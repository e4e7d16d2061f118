"""Integration suite of the workflow analytics engine against a real database.

Every test runs on a fresh in-memory SQLite database and, when DATABASE_URL names a
PostgreSQL database, on that database as well (with the table dropped and recreated for
each test). Values are compared exactly; Hypothesis compares every query with a plain-Python
reference computed over the same generated execution history. The end-to-end tests run the
real workflow engine on virtual time with the analytics engine as its collaborator.
"""

import asyncio
import math
import os
import sqlite3
import statistics
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone, tzinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.pool import StaticPool

from conftest import EPOCH, ActionLog, FakeClock, Raised, outcome, returned
from core import db
from core.models import WorkflowExecution, as_utc
from core.workflow_analytics_engine import MAX_BUCKETS, STABLE_SLOPE_FRACTION, AnalyticsEngine, connect
from core.workflow_engine import WorkflowEngine
from core.workflow_status import WorkflowExecutionStatus

STATUSES = ["pending", "running", "completed", "failed", "partial", "cancelled"]
PLUS_TWO = timezone(timedelta(hours=2))
MONDAY = datetime(1970, 1, 5, tzinfo=timezone.utc)
BUCKET_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}


class NoOffset(tzinfo):
    """A tzinfo that knows no UTC offset: a datetime carrying it is still naive."""

    def utcoffset(self, moment):
        return None


def postgresql_url():
    """DATABASE_URL when it names a PostgreSQL database, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql", "postgres:")) else None


BACKENDS = ["sqlite"] + (["postgresql"] if postgresql_url() else [])


@pytest.fixture(params=BACKENDS)
def engine(request):
    if request.param == "sqlite":
        database = db.make_engine("sqlite://")
    else:
        database = db.make_engine(postgresql_url())
        db.drop_schema(database)  # what an earlier test left behind
    db.create_schema(database)
    yield database
    database.dispose()


@pytest.fixture
def factory(engine):
    return db.make_session_factory(engine)


@pytest.fixture
def session(factory):
    with factory() as opened:
        yield opened


@pytest.fixture
def analytics(factory):
    return AnalyticsEngine(factory)


def at(days=0, hours=0, minutes=0, seconds=0):
    return EPOCH + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def execution(execution_id, workflow_id="wf", status="completed", started_at=EPOCH, execution_time_ms=1000, **fields):
    """The keyword arguments of one valid `record_execution` call."""
    arguments = {
        "workflow_id": workflow_id,
        "execution_id": execution_id,
        "status": status,
        "started_at": started_at,
        "completed_at": started_at + timedelta(milliseconds=execution_time_ms),
        "execution_time_ms": execution_time_ms,
        "total_steps": 3,
        "completed_steps": 1,
        "failed_steps": 1,
        "skipped_steps": 1,
        "error": None,
    }
    arguments.update(fields)
    return arguments


async def record_all(analytics, executions):
    return [await outcome(analytics.record_execution(**arguments)) for arguments in executions]


def raised_type(result):
    """The name of the exception type `outcome` caught, or what was returned instead."""
    return type(result.exception).__name__ if isinstance(result, Raised) else f"returned {result!r}"


def stored(session):
    """Every stored row as a dict of its columns, by id."""
    rows = session.scalars(select(WorkflowExecution).order_by(WorkflowExecution.id)).all()
    return [{column.name: getattr(row, column.name) for column in WorkflowExecution.__table__.columns} for row in rows]


def row_count(session):
    return session.execute(select(func.count()).select_from(WorkflowExecution)).scalar_one()


# --- db.py --------------------------------------------------------------------------------------


def test_database_url_comes_from_the_environment_when_set_and_not_empty():
    assert db.DEFAULT_DATABASE_URL == "sqlite://"
    assert db.database_url({}) == "sqlite://"
    assert db.database_url({"DATABASE_URL": ""}) == "sqlite://"
    assert db.database_url({"DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_database_url_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    assert db.database_url() == "sqlite:///from-env.db"
    monkeypatch.delenv("DATABASE_URL")
    assert db.database_url() == "sqlite://"


def test_make_engine_without_url_uses_the_environment(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = db.make_engine()
    try:
        assert engine.url.render_as_string() == "sqlite://"
        assert isinstance(engine.pool, StaticPool)
    finally:
        engine.dispose()


def share_between_threads(url):
    """Commit a row in this thread, then read every row through a session in another thread."""
    engine = db.make_engine(url)
    try:
        db.create_schema(engine)
        factory = db.make_session_factory(engine)
        with factory() as first:
            first.add(WorkflowExecution(**{**execution("e1"), "status": "failed"}))
            first.commit()
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: [(row["execution_id"], row["status"]) for row in stored(factory())]).result()
    finally:
        engine.dispose()


def test_in_memory_sqlite_is_one_database_shared_by_every_session_and_thread():
    # The workflow engine may record from another thread than the one that made the engine.
    assert returned(share_between_threads, "sqlite://") == [("e1", "failed")]


def test_sqlite_file_databases_use_the_default_pool(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'analytics.db'}")
    try:
        assert not isinstance(engine.pool, StaticPool)
        db.create_schema(engine)
        with db.make_session_factory(engine)() as session:
            assert row_count(session) == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_urls_use_the_psycopg_driver(scheme):
    engine = db.make_engine(f"{scheme}://user:secret@db.invalid:5432/analytics")
    try:
        assert engine.url.drivername == "postgresql+psycopg"
        assert not isinstance(engine.pool, StaticPool)
        assert engine.url.render_as_string(hide_password=False) == (
            "postgresql+psycopg://user:secret@db.invalid:5432/analytics"
        )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "ValueError: invalid database URL 'not a url': ArgumentError"),
        (
            "nosuchdb://user:secret@host/db",
            "ValueError: invalid database URL 'nosuchdb://user:***@host/db': NoSuchModuleError",
        ),
    ],
)
def test_a_bad_url_is_a_value_error_naming_it_without_the_password(url, message):
    assert returned(db.make_engine, url) == Raised(message)


def test_mask_password_hides_only_the_password():
    assert db.mask_password("postgresql://u:p%40ss@h:1/d") == "postgresql://u:***@h:1/d"
    assert db.mask_password("postgresql://u@h/d") == "postgresql://u@h/d"
    assert db.mask_password("sqlite://") == "sqlite://"


def test_session_factory_is_bound_and_keeps_objects_readable_after_commit(engine):
    assert db.make_session_factory(engine).kw == {"bind": engine, "autoflush": True, "expire_on_commit": False}


def test_drop_schema_removes_the_table_and_create_schema_restores_it(engine):
    assert inspect(engine).has_table("workflow_executions") is True
    assert (returned(db.drop_schema, engine), inspect(engine).has_table("workflow_executions")) == (None, False)
    assert (returned(db.create_schema, engine), inspect(engine).has_table("workflow_executions")) == (None, True)


async def connect_record_and_read(execution_id, *url):
    """Record one execution through `connect(*url)`; its id, every stored execution id, the URL."""
    analytics = connect(*url)
    row_id = await analytics.record_execution(**execution(execution_id))
    with analytics.new_session() as session:
        bind = session.get_bind()
        execution_ids = [row["execution_id"] for row in stored(session)]
    bind.dispose()
    return row_id, execution_ids, bind.url.render_as_string()


async def test_connect_opens_the_database_of_the_url_and_creates_its_schema_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'analytics.db'}"
    assert await outcome(connect_record_and_read("e1", url)) == (1, ["e1"], url)
    assert await outcome(connect_record_and_read("e2", url)) == (2, ["e1", "e2"], url)


async def test_connect_defaults_to_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert await outcome(connect_record_and_read("e1")) == (1, ["e1"], "sqlite://")
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert await outcome(connect_record_and_read("e1")) == (1, ["e1"], url)


# --- the shared in-memory connection under threads and tasks -----------------------------------


def in_thread(function, *args):
    """What `function(*args)` gives in another thread, value or `Raised(...)`."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(returned, function, *args).result()


def memory_connection():
    return sqlite3.connect(":memory:", check_same_thread=False)


def checkout_and_close(pool):
    """Check the connection out of `pool` and back in; the DB-API connection it was."""
    connection = pool.connect()
    dbapi_connection = connection.dbapi_connection
    connection.close()
    return dbapi_connection


def timeout(result):
    """(type name, message) of a raised SQLAlchemy TimeoutError, or what came instead."""
    return (type(result.exception).__name__, result.exception.args[0]) if isinstance(result, Raised) else result


WAITED_TOO_LONG = ("TimeoutError", "the shared in-memory SQLite connection was in use by another thread for 0 s")


def test_the_shared_connection_is_lent_to_one_thread_at_a_time_and_nested_checkouts_share_it():
    pool = db.SharedConnectionPool(memory_connection, timeout=0)
    first = pool.connect()
    nested = pool.connect()
    assert nested.dbapi_connection is first.dbapi_connection
    assert timeout(in_thread(pool.connect)) == WAITED_TOO_LONG
    nested.close()
    assert timeout(in_thread(pool.connect)) == WAITED_TOO_LONG  # the outer checkout still holds it
    held = first.dbapi_connection
    first.close()
    assert in_thread(checkout_and_close, pool) is held
    assert returned(checkout_and_close, pool) is held  # this thread's closed checkout is not reused
    assert in_thread(checkout_and_close, pool) is held
    pool.dispose()


def test_a_failed_connect_releases_the_shared_connection():
    attempts = []

    def flaky():
        attempts.append(len(attempts))
        if len(attempts) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return memory_connection()

    pool = db.SharedConnectionPool(flaky, timeout=0)
    assert returned(pool.connect) == Raised("OperationalError: disk I/O error")
    assert returned(lambda: type(in_thread(checkout_and_close, pool)).__name__) == "Connection"
    assert attempts == [0, 1]
    pool.dispose()


def test_the_default_wait_is_thirty_seconds_and_survives_a_dispose():
    assert db.SHARED_CONNECTION_TIMEOUT == 30.0
    assert db.SharedConnectionPool(memory_connection).timeout == 30.0
    engine = db.make_engine("sqlite://")
    try:
        assert (type(engine.pool), engine.pool.timeout) == (db.SharedConnectionPool, 30.0)
        engine.pool.timeout = 0
        engine.dispose()  # recreates the pool
        assert (type(engine.pool), engine.pool.timeout) == (db.SharedConnectionPool, 0)
    finally:
        engine.dispose()


def test_the_pool_keeps_the_engine_s_listeners_across_a_dispose():
    engine = db.make_engine("sqlite://")
    checkouts = []
    try:
        event.listen(engine, "checkout", lambda *arguments: checkouts.append(len(arguments)))
        engine.dispose()  # the recreated pool takes over the engine's listeners
        with engine.connect() as connection:
            assert connection.exec_driver_sql("select 7").scalar_one() == 7
        assert checkouts == [3]
    finally:
        engine.dispose()


def record_in_thread(analytics, execution_id):
    return asyncio.run(outcome(analytics.record_execution(**execution(execution_id))))


async def test_another_thread_records_once_the_session_holding_the_connection_closes():
    engine = db.make_engine("sqlite://")
    try:
        engine.pool.timeout = 0
        db.create_schema(engine)
        factory = db.make_session_factory(engine)
        analytics = AnalyticsEngine(factory)
        with factory() as reading:
            assert row_count(reading) == 0  # holds the connection until closed
            assert await outcome(analytics.record_execution(**execution("same-thread"))) == 1
            assert timeout(in_thread(record_in_thread, analytics, "other-thread")) == WAITED_TOO_LONG
        assert in_thread(record_in_thread, analytics, "other-thread") == 2
        with factory() as session:
            assert [row["execution_id"] for row in stored(session)] == ["same-thread", "other-thread"]
    finally:
        engine.dispose()


THREADS = 8
TASKS_PER_LOOP = 110  # 8 threads' event loops and the test's own: 990 executions in all


async def record_concurrently(analytics, prefix, barrier):
    """Record TASKS_PER_LOOP executions as concurrent tasks once every loop is ready; their outcomes."""
    barrier.wait()
    tasks = [analytics.record_execution(**execution(f"{prefix}-{index}")) for index in range(TASKS_PER_LOOP)]
    return await asyncio.gather(*[outcome(task) for task in tasks])


def record_from_threads_and_tasks(analytics):
    """Outcomes of 990 concurrent recordings: TASKS_PER_LOOP tasks on each of THREADS threads and this one."""
    barrier = threading.Barrier(THREADS + 1)
    results = [None] * THREADS

    def run(index):
        results[index] = asyncio.run(record_concurrently(analytics, f"t{index}", barrier))

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    own = asyncio.run(record_concurrently(analytics, "main", barrier))
    for thread in threads:
        thread.join()
    return [result for outcomes in [*results, own] for result in outcomes]


def test_the_default_database_records_every_execution_from_threads_and_tasks(engine, factory):
    # On "sqlite://" (the default, which the `engine` fixture makes first) 8 threads sharing the
    # unguarded connection stored 963 of 990 (SystemError, FlushError, OperationalError) or
    # crashed the process. PostgreSQL, when set, gives each thread a connection of its own.
    assert isinstance(engine.pool, db.SharedConnectionPool) is (engine.dialect.name == "sqlite")
    results = record_from_threads_and_tasks(AnalyticsEngine(factory))
    assert [result for result in results if not isinstance(result, int)] == []
    assert sorted(results) == list(range(1, 991))
    with factory() as session:
        assert row_count(session) == 990
        assert len({row["execution_id"] for row in stored(session)}) == 990


# --- models.py ----------------------------------------------------------------------------------


def test_as_utc_treats_naive_values_as_utc_and_converts_aware_ones():
    assert as_utc(None) is None
    naive = as_utc(datetime(2026, 1, 1, 12, 30))
    assert naive == datetime(2026, 1, 1, 12, 30, tzinfo=timezone.utc)
    assert naive.tzinfo is timezone.utc
    converted = as_utc(datetime(2026, 1, 1, 12, 30, tzinfo=PLUS_TWO))
    assert (converted.hour, converted.minute, converted.tzinfo) == (10, 30, timezone.utc)
    assert as_utc(datetime(2026, 1, 1, 12, 30, tzinfo=NoOffset())) == datetime(2026, 1, 1, 12, 30, tzinfo=timezone.utc)


async def test_timestamps_come_back_as_aware_utc(analytics, factory):
    started = datetime(2026, 3, 1, 2, 0, 0, 250000, tzinfo=PLUS_TWO)
    assert await outcome(analytics.record_execution(**execution("e1", started_at=started, execution_time_ms=1500))) == 1
    with factory() as session:
        (row,) = stored(session)
    assert row["started_at"] == datetime(2026, 3, 1, 0, 0, 0, 250000, tzinfo=timezone.utc)
    assert row["started_at"].tzinfo is timezone.utc
    assert row["completed_at"] == datetime(2026, 3, 1, 0, 0, 1, 750000, tzinfo=timezone.utc)
    assert row["completed_at"].tzinfo is timezone.utc


# --- recording ----------------------------------------------------------------------------------


async def test_record_execution_stores_every_field_and_returns_the_row_id(analytics, factory):
    first = execution("e1", status="failed", execution_time_ms=2500, error="step 'a': boom")
    second = execution(
        "e2", workflow_id="other", status=WorkflowExecutionStatus.PARTIAL, started_at=at(days=1), total_steps=4,
        completed_steps=2, failed_steps=0, skipped_steps=0, execution_time_ms=0,
    )
    assert await record_all(analytics, [first, second]) == [1, 2]
    with factory() as session:
        assert stored(session) == [
            {
                "id": 1, "workflow_id": "wf", "execution_id": "e1", "status": "failed", "started_at": EPOCH,
                "completed_at": EPOCH + timedelta(milliseconds=2500), "execution_time_ms": 2500, "total_steps": 3,
                "completed_steps": 1, "failed_steps": 1, "skipped_steps": 1, "error": "step 'a': boom",
            },
            {
                "id": 2, "workflow_id": "other", "execution_id": "e2", "status": "partial", "started_at": at(days=1),
                "completed_at": at(days=1), "execution_time_ms": 0, "total_steps": 4, "completed_steps": 2,
                "failed_steps": 0, "skipped_steps": 0, "error": None,
            },
        ]


async def test_record_execution_accepts_a_missing_completion_time(analytics, session):
    assert await outcome(analytics.record_execution(**execution("e1", completed_at=None))) == 1
    assert [(row["execution_id"], row["completed_at"]) for row in stored(session)] == [("e1", None)]


async def test_record_execution_uses_the_given_session_and_commits_it(factory):
    analytics = AnalyticsEngine()
    with factory() as session:
        assert await outcome(analytics.record_execution(**execution("e1"), db_session=session)) == 1
        assert session.in_transaction() is False
    with factory() as other:
        assert [row["execution_id"] for row in stored(other)] == ["e1"]


async def test_record_execution_without_session_or_factory_is_a_value_error():
    assert await outcome(AnalyticsEngine().record_execution(**execution("e1"))) == Raised(
        "ValueError: record_execution needs a db_session or an AnalyticsEngine(session_factory=...)"
    )


NAIVE = datetime(2026, 1, 1)
INVALID_RECORDS = [
    ({"workflow_id": ""}, "workflow_id must be a non-empty string, got ''"),
    ({"workflow_id": None}, "workflow_id must be a non-empty string, got None"),
    ({"execution_id": ""}, "execution_id must be a non-empty string, got ''"),
    ({"execution_id": 7}, "execution_id must be a non-empty string, got 7"),
    ({"status": "done"}, "status must be one of pending, running, completed, failed, partial, cancelled, got 'done'"),
    ({"status": None}, "status must be one of pending, running, completed, failed, partial, cancelled, got None"),
    ({"started_at": NAIVE}, "started_at must be timezone-aware, got naive 2026-01-01T00:00:00"),
    ({"started_at": "2026-01-01"}, "started_at must be a datetime, got '2026-01-01'"),
    ({"started_at": datetime(2026, 1, 1, tzinfo=NoOffset())}, "started_at must be timezone-aware, got naive 2026-01-01T00:00:00"),
    ({"completed_at": NAIVE}, "completed_at must be timezone-aware, got naive 2026-01-01T00:00:00"),
    (
        {"completed_at": EPOCH - timedelta(seconds=1)},
        "completed_at 2025-12-31T23:59:59+00:00 is before started_at 2026-01-01T00:00:00+00:00",
    ),
    ({"execution_time_ms": -1}, "execution_time_ms must be an integer from 0 to 9223372036854775807, got -1"),
    ({"execution_time_ms": 1.5}, "execution_time_ms must be an integer from 0 to 9223372036854775807, got 1.5"),
    ({"execution_time_ms": True}, "execution_time_ms must be an integer from 0 to 9223372036854775807, got True"),
    # One past a BIGINT: SQLite raised OverflowError, PostgreSQL DataError (2**31 already, as INTEGER).
    ({"execution_time_ms": 2**63}, "execution_time_ms must be an integer from 0 to 9223372036854775807, got 9223372036854775808"),
    ({"total_steps": -1}, "total_steps must be an integer from 0 to 2147483647, got -1"),
    ({"completed_steps": -2}, "completed_steps must be an integer from 0 to 2147483647, got -2"),
    ({"failed_steps": -3}, "failed_steps must be an integer from 0 to 2147483647, got -3"),
    ({"skipped_steps": "1"}, "skipped_steps must be an integer from 0 to 2147483647, got '1'"),
    # One past an INTEGER: stored by SQLite, refused by PostgreSQL.
    ({"total_steps": 2**31}, "total_steps must be an integer from 0 to 2147483647, got 2147483648"),
    ({"completed_steps": 2**31}, "completed_steps must be an integer from 0 to 2147483647, got 2147483648"),
    ({"failed_steps": 2**31}, "failed_steps must be an integer from 0 to 2147483647, got 2147483648"),
    ({"skipped_steps": 2**31}, "skipped_steps must be an integer from 0 to 2147483647, got 2147483648"),
    ({"total_steps": 2}, "completed_steps + failed_steps + skipped_steps (3) exceeds total_steps (2)"),
    ({"error": 42}, "error must be a string or None, got 42"),
    # Stored by SQLite, refused by PostgreSQL (a varchar(255); no NUL in any text).
    ({"workflow_id": "w" * 256}, "workflow_id must be at most 255 characters long, got 256"),
    ({"execution_id": "e" * 300}, "execution_id must be at most 255 characters long, got 300"),
    ({"workflow_id": "a\x00b"}, "workflow_id must not contain a NUL character (at 1)"),
    ({"execution_id": "\x00"}, "execution_id must not contain a NUL character (at 0)"),
    ({"error": "boom\x00 and \x00"}, "error must not contain a NUL character (at 4)"),  # the first one
    ({"workflow_id": b"wf"}, "workflow_id must be a non-empty string, got b'wf'"),
    ({"workflow_id": 7}, "workflow_id must be a non-empty string, got 7"),
]


@pytest.mark.parametrize(("override", "message"), INVALID_RECORDS)
async def test_invalid_records_are_value_errors_naming_the_field(analytics, session, override, message):
    arguments = {**execution("e1"), **override}
    assert await outcome(analytics.record_execution(**arguments)) == Raised(f"ValueError: {message}")
    assert row_count(session) == 0


async def test_step_counts_may_add_up_to_exactly_the_total(analytics, session):
    assert await record_all(analytics, [
        execution("e1", total_steps=3, completed_steps=3, failed_steps=0, skipped_steps=0),
        execution("e2", started_at=at(1), completed_at=at(1)),
    ]) == [1, 2]
    assert [(r["execution_id"], r["completed_at"]) for r in stored(session)] == [
        ("e1", EPOCH + timedelta(seconds=1)), ("e2", at(1)),
    ]


LONGEST_MS = 2**63 - 1  # a BIGINT's maximum: about 292 million years in milliseconds
MOST_STEPS = 2**31 - 1  # an INTEGER's maximum


async def test_the_largest_values_of_each_column_are_stored_and_read_back_on_every_database(analytics, session):
    # PostgreSQL refused anything past 2**31 - 1 ms (about 24.8 days) while SQLite stored it.
    records = [
        {**execution("e" * 255, workflow_id="w" * 255, completed_at=None, total_steps=MOST_STEPS,
                     completed_steps=MOST_STEPS, failed_steps=0, skipped_steps=0, error="é" * 1000),
         "execution_time_ms": LONGEST_MS},
        {**execution("e2", workflow_id="w" * 255, completed_at=None, total_steps=MOST_STEPS, completed_steps=0,
                     failed_steps=MOST_STEPS, skipped_steps=0), "execution_time_ms": 2**31},
        execution("e3", workflow_id="w" * 255, execution_time_ms=0, total_steps=MOST_STEPS,
                  completed_steps=0, failed_steps=0, skipped_steps=MOST_STEPS),
    ]
    assert await record_all(analytics, records) == [1, 2, 3]
    assert [
        (len(r["workflow_id"]), len(r["execution_id"]), r["execution_time_ms"], r["total_steps"], r["completed_steps"],
         r["failed_steps"], r["skipped_steps"], r["error"])
        for r in stored(session)
    ] == [
        (255, 255, LONGEST_MS, MOST_STEPS, MOST_STEPS, 0, 0, "é" * 1000),
        (255, 2, 2**31, MOST_STEPS, 0, MOST_STEPS, 0, None),
        (255, 2, 0, MOST_STEPS, 0, 0, MOST_STEPS, None),
    ]
    metrics = await outcome(analytics.compute_workflow_metrics("w" * 255, session))
    assert returned(lambda: (metrics["total"], metrics["min_execution_time_ms"], metrics["max_execution_time_ms"])) == (
        3, 0, LONGEST_MS,
    )
    assert returned(lambda: metrics["median_execution_time_ms"]) == float(2**31)
    assert await outcome(analytics.compute_percentile("w" * 255, 100, session)) == float(LONGEST_MS)


async def test_a_failing_insert_leaves_no_row_and_propagates(analytics, factory):
    assert await outcome(analytics.record_execution(**execution("e1"))) == 1
    result = await outcome(analytics.record_execution(**execution("e1", workflow_id="other", status="failed")))
    assert raised_type(result) == "IntegrityError"
    with factory() as session:
        assert [(row["workflow_id"], row["execution_id"], row["status"]) for row in stored(session)] == [
            ("wf", "e1", "completed")
        ]


async def test_a_failing_insert_rolls_back_the_given_session_which_stays_usable(factory):
    analytics = AnalyticsEngine()
    with factory() as session:
        assert await outcome(analytics.record_execution(**execution("e1"), db_session=session)) == 1
        result = await outcome(analytics.record_execution(**execution("e1", workflow_id="x"), db_session=session))
        assert raised_type(result) == "IntegrityError"
        assert session.in_transaction() is False
        # SQLite reuses the id the failed insert did not keep; a PostgreSQL sequence does not.
        expected_id = 2 if session.get_bind().dialect.name == "sqlite" else 3
        assert await outcome(analytics.record_execution(**execution("e2"), db_session=session)) == expected_id
        assert [(row["workflow_id"], row["execution_id"]) for row in stored(session)] == [("wf", "e1"), ("wf", "e2")]


# --- metrics ------------------------------------------------------------------------------------

KNOWN = [
    execution("e1", status="completed", started_at=at(0), execution_time_ms=100),
    execution("e2", status="failed", started_at=at(1), execution_time_ms=400),
    execution("e3", status="completed", started_at=at(2), execution_time_ms=200),
    execution("e4", status="cancelled", started_at=at(3), execution_time_ms=300),
    execution("e5", workflow_id="other", status="failed", started_at=at(1), execution_time_ms=9000),
]


async def test_workflow_metrics_on_known_data(analytics, session):
    await record_all(analytics, KNOWN)
    assert await outcome(analytics.compute_workflow_metrics("wf", session)) == {
        "total": 4,
        "successful": 2,
        "failed": 1,
        "success_rate": 0.5,
        "average_execution_time_ms": 250.0,
        "median_execution_time_ms": 250.0,
        "min_execution_time_ms": 100,
        "max_execution_time_ms": 400,
    }
    assert await outcome(analytics.compute_workflow_metrics("other", session)) == {
        "total": 1,
        "successful": 0,
        "failed": 1,
        "success_rate": 0.0,
        "average_execution_time_ms": 9000.0,
        "median_execution_time_ms": 9000.0,
        "min_execution_time_ms": 9000,
        "max_execution_time_ms": 9000,
    }


async def test_metrics_average_is_a_float_even_when_the_database_gives_a_decimal(analytics, session):
    await record_all(analytics, KNOWN[:3])
    metrics = await outcome(analytics.compute_workflow_metrics("wf", session))
    assert type(metrics["average_execution_time_ms"]) is float
    assert type(metrics["median_execution_time_ms"]) is float
    assert metrics["average_execution_time_ms"] == pytest.approx(700 / 3, rel=1e-12)
    assert metrics["median_execution_time_ms"] == 200.0


async def test_metrics_since_is_inclusive_and_until_exclusive(analytics, session):
    await record_all(analytics, KNOWN)
    window = await outcome(analytics.compute_workflow_metrics("wf", session, since=at(1), until=at(3)))
    assert (window["total"], window["min_execution_time_ms"], window["max_execution_time_ms"]) == (2, 200, 400)
    assert window["median_execution_time_ms"] == 300.0
    since_only = await outcome(analytics.compute_workflow_metrics("wf", session, since=at(2)))
    assert (since_only["total"], since_only["successful"], since_only["average_execution_time_ms"]) == (2, 1, 250.0)
    until_only = await outcome(analytics.compute_workflow_metrics("wf", session, until=at(1)))
    assert (until_only["total"], until_only["success_rate"]) == (1, 1.0)
    just_after = await outcome(analytics.compute_workflow_metrics(
        "wf", session, since=at(1) + timedelta(microseconds=1), until=at(3) + timedelta(microseconds=1)
    ))
    assert (just_after["total"], just_after["min_execution_time_ms"]) == (2, 200)
    other_zone = await outcome(analytics.compute_workflow_metrics("wf", session, since=datetime(2026, 1, 2, 2, tzinfo=PLUS_TWO)))
    assert other_zone["total"] == 3


async def test_metrics_of_an_unknown_workflow_are_zeros(analytics, session):
    await record_all(analytics, KNOWN)
    assert await outcome(analytics.compute_workflow_metrics("nope", session)) == {
        "total": 0,
        "successful": 0,
        "failed": 0,
        "success_rate": 0.0,
        "average_execution_time_ms": None,
        "median_execution_time_ms": None,
        "min_execution_time_ms": None,
        "max_execution_time_ms": None,
    }


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"since": NAIVE}, "since must be timezone-aware, got naive 2026-01-01T00:00:00"),
        ({"until": NAIVE, "since": EPOCH}, "until must be timezone-aware, got naive 2026-01-01T00:00:00"),
        ({"since": 5}, "since must be a datetime, got 5"),
        (
            {"since": at(1), "until": at(1)},
            "since 2026-01-02T00:00:00+00:00 must be before until 2026-01-02T00:00:00+00:00",
        ),
        (
            {"since": at(2), "until": at(1)},
            "since 2026-01-03T00:00:00+00:00 must be before until 2026-01-02T00:00:00+00:00",
        ),
    ],
)
async def test_invalid_metric_windows_are_value_errors(analytics, session, window, message):
    assert await outcome(analytics.compute_workflow_metrics("wf", session, **window)) == Raised(f"ValueError: {message}")


def every_query(analytics, workflow_id, session):
    """What each compute_* method gives for `workflow_id`, by method."""
    return {
        "metrics": analytics.compute_workflow_metrics(workflow_id, session),
        "series": analytics.compute_execution_time_series(workflow_id, EPOCH, at(hours=1), "hour", session),
        "percentile": analytics.compute_percentile(workflow_id, 50, session),
        "success_rate": analytics.compute_success_rate(workflow_id, session),
        "trend": analytics.compute_execution_trend(workflow_id, session),
    }


@pytest.mark.parametrize(
    ("workflow_id", "message"),
    [
        # PostgreSQL raised ProgrammingError (varchar = integer) where SQLite answered 0.0.
        (5, "workflow_id must be a non-empty string, got 5"),
        (b"wf", "workflow_id must be a non-empty string, got b'wf'"),
        (None, "workflow_id must be a non-empty string, got None"),
        ("", "workflow_id must be a non-empty string, got ''"),
        ("w\x00f", "workflow_id must not contain a NUL character (at 1)"),
        ("w" * 256, "workflow_id must be at most 255 characters long, got 256"),
    ],
)
async def test_every_query_refuses_a_workflow_id_that_cannot_be_recorded(analytics, session, workflow_id, message):
    await record_all(analytics, KNOWN)
    results = {name: await outcome(query) for name, query in every_query(analytics, workflow_id, session).items()}
    assert results == dict.fromkeys(["metrics", "series", "percentile", "success_rate", "trend"], Raised(f"ValueError: {message}"))


async def test_every_query_accepts_a_workflow_id_of_the_longest_length(analytics, session):
    await record_all(analytics, [execution("e1", workflow_id="w" * 255, execution_time_ms=100)])
    results = {name: await outcome(query) for name, query in every_query(analytics, "w" * 255, session).items()}
    assert returned(lambda: (results["metrics"]["total"], results["series"][0]["count"], results["percentile"])) == (1, 1, 100.0)
    assert returned(lambda: (results["success_rate"], results["trend"]["samples"])) == (1.0, 1)


# --- time series --------------------------------------------------------------------------------


def bucket(timestamp, count=0, success=0, failure=0, average=None):
    return {
        "timestamp": timestamp,
        "count": count,
        "success_count": success,
        "failure_count": failure,
        "average_execution_time_ms": average,
    }


async def test_minute_series_includes_empty_buckets(analytics, session):
    await record_all(analytics, [
        execution("e1", started_at=at(minutes=0, seconds=10), execution_time_ms=100),
        execution("e2", status="failed", started_at=at(minutes=0, seconds=59), execution_time_ms=300),
        execution("e3", status="partial", started_at=at(minutes=2), execution_time_ms=50),
        execution("e4", started_at=at(minutes=3), execution_time_ms=7),
    ])
    series = await outcome(analytics.compute_execution_time_series("wf", at(seconds=30), at(minutes=3), "minute", session))
    assert series == [
        bucket(at(minutes=0), 1, 0, 1, 300.0),
        bucket(at(minutes=1)),
        bucket(at(minutes=2), 1, 0, 0, 50.0),
    ]
    assert all(entry["timestamp"].tzinfo is timezone.utc for entry in series)


async def test_hour_series(analytics, session):
    await record_all(analytics, [
        execution("e1", started_at=at(hours=1, minutes=5), execution_time_ms=100),
        execution("e2", started_at=at(hours=1, minutes=55), execution_time_ms=200),
        execution("e3", status="failed", started_at=at(hours=3), execution_time_ms=1000),
    ])
    series = await outcome(analytics.compute_execution_time_series("wf", at(), at(hours=3, minutes=1), "hour", session))
    assert series == [
        bucket(at(hours=0)),
        bucket(at(hours=1), 2, 2, 0, 150.0),
        bucket(at(hours=2)),
        bucket(at(hours=3), 1, 0, 1, 1000.0),
    ]


async def test_day_series_aligns_to_utc_midnight(analytics, session):
    await record_all(analytics, [
        execution("e1", started_at=datetime(2026, 1, 2, 1, 0, tzinfo=PLUS_TWO), execution_time_ms=10),
        execution("e2", started_at=at(days=1, hours=23), execution_time_ms=30),
        execution("e3", started_at=at(days=2), execution_time_ms=5),
    ])
    start = datetime(2026, 1, 1, 12, tzinfo=PLUS_TWO)
    series = await outcome(analytics.compute_execution_time_series("wf", start, at(days=2), "day", session))
    assert series == [bucket(at(days=0), 1, 1, 0, 10.0), bucket(at(days=1), 1, 1, 0, 30.0)]


async def test_week_series_starts_on_monday_utc(analytics, session):
    # 2026-01-01 is a Thursday: its week starts on Monday 2025-12-29.
    await record_all(analytics, [
        execution("e1", started_at=at(days=0), execution_time_ms=100),
        execution("e2", status="failed", started_at=at(days=3, hours=23), execution_time_ms=200),
        execution("e3", started_at=at(days=4), execution_time_ms=400),
        execution("e4", started_at=at(days=18), execution_time_ms=800),
    ])
    series = await outcome(analytics.compute_execution_time_series("wf", at(), at(days=19), "week", session))
    assert series == [
        bucket(datetime(2025, 12, 29, tzinfo=timezone.utc), 2, 1, 1, 150.0),
        bucket(datetime(2026, 1, 5, tzinfo=timezone.utc), 1, 1, 0, 400.0),
        bucket(datetime(2026, 1, 12, tzinfo=timezone.utc)),
        bucket(datetime(2026, 1, 19, tzinfo=timezone.utc), 1, 1, 0, 800.0),
    ]


async def test_series_of_an_unknown_workflow_is_all_empty_buckets(analytics, session):
    await record_all(analytics, KNOWN)
    assert await outcome(analytics.compute_execution_time_series("nope", at(), at(days=2), "day", session)) == [
        bucket(at(days=0)), bucket(at(days=1)),
    ]


async def test_the_bucket_limit_is_inclusive(analytics, session):
    series = await outcome(analytics.compute_execution_time_series("wf", at(), at(minutes=MAX_BUCKETS), "minute", session))
    assert series[-1]["timestamp"] == at(minutes=MAX_BUCKETS - 1)
    assert len(series) == MAX_BUCKETS


@pytest.mark.parametrize(
    ("start", "end", "granularity", "message"),
    [
        (EPOCH, at(1), "month", "granularity must be one of minute, hour, day, week, got 'month'"),
        (NAIVE, at(1), "day", "start_time must be timezone-aware, got naive 2026-01-01T00:00:00"),
        (EPOCH, datetime(2026, 1, 2), "day", "end_time must be timezone-aware, got naive 2026-01-02T00:00:00"),
        (EPOCH, EPOCH, "day", "start_time 2026-01-01T00:00:00+00:00 must be before end_time 2026-01-01T00:00:00+00:00"),
        (at(1), EPOCH, "hour", "start_time 2026-01-02T00:00:00+00:00 must be before end_time 2026-01-01T00:00:00+00:00"),
        (
            EPOCH, at(minutes=MAX_BUCKETS, seconds=1), "minute",
            f"the range holds {MAX_BUCKETS + 1} minute buckets, more than the limit of {MAX_BUCKETS}",
        ),
    ],
)
async def test_invalid_series_arguments_are_value_errors(analytics, session, start, end, granularity, message):
    result = await outcome(analytics.compute_execution_time_series("wf", start, end, granularity, session))
    assert result == Raised(f"ValueError: {message}")


# --- percentiles, success rate ------------------------------------------------------------------

PERCENTILE_TIMES = [500, 0, 100, 900, 200, 800, 300, 1000, 400, 700, 600]


async def record_times(analytics, times, workflow_id="wf"):
    await record_all(analytics, [
        execution(f"{workflow_id}-{index}", workflow_id=workflow_id, started_at=at(minutes=index), execution_time_ms=ms)
        for index, ms in enumerate(times)
    ])


@pytest.mark.parametrize(
    ("percentile", "expected"),
    [(0, 0.0), (25, 250.0), (50, 500.0), (90, 900.0), (100, 1000.0), (37.5, 375.0), (99.0, 990.0)],
)
async def test_percentiles_interpolate_linearly_between_closest_ranks(analytics, session, percentile, expected):
    await record_times(analytics, PERCENTILE_TIMES)
    await record_times(analytics, [5], workflow_id="other")
    result = await outcome(analytics.compute_percentile("wf", percentile, session))
    assert (result, type(result)) == (expected, float)


@pytest.mark.parametrize(
    ("percentile", "expected"), [(0, 10.0), (25, 17.5), (50, 25.0), (90, 37.0), (100, 40.0)]
)
async def test_percentiles_of_an_even_number_of_values(analytics, session, percentile, expected):
    await record_times(analytics, [40, 10, 30, 20])
    assert await outcome(analytics.compute_percentile("wf", percentile, session)) == pytest.approx(expected, abs=1e-9)


async def test_percentile_of_one_value_and_of_none(analytics, session):
    await record_times(analytics, [42])
    assert await outcome(analytics.compute_percentile("wf", 73.1, session)) == 42.0
    assert await outcome(analytics.compute_percentile("nope", 50, session)) is None


@pytest.mark.parametrize(
    ("percentile", "message"),
    [
        (-0.5, "percentile must be between 0 and 100, got -0.5"),
        (100.01, "percentile must be between 0 and 100, got 100.01"),
        (math.nan, "percentile must be between 0 and 100, got nan"),
        ("50", "percentile must be a number, got '50'"),
        (None, "percentile must be a number, got None"),
        (True, "percentile must be a number, got True"),
    ],
)
async def test_invalid_percentiles_are_value_errors(analytics, session, percentile, message):
    assert await outcome(analytics.compute_percentile("wf", percentile, session)) == Raised(f"ValueError: {message}")


async def test_success_rate(analytics, session):
    await record_all(analytics, KNOWN)
    assert await outcome(analytics.compute_success_rate("wf", session)) == 0.5
    assert await outcome(analytics.compute_success_rate("other", session)) == 0.0
    assert await outcome(analytics.compute_success_rate("nope", session)) == 0.0


# --- trend --------------------------------------------------------------------------------------


async def record_trend(analytics, points):
    await record_all(analytics, [
        execution(f"t{index}", started_at=at(days=days), execution_time_ms=ms) for index, (days, ms) in enumerate(points)
    ])


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(0, 100), (1, 200), (2, 300)], ("increasing", 100.0, 1.0, 3)),
        ([(2, 100), (0, 300), (1, 200)], ("decreasing", -100.0, 1.0, 3)),
        ([(0, 100), (1, 300), (2, 200), (3, 400)], ("increasing", 80.0, 0.64, 4)),
        ([(0, 1000), (1, 1005)], ("stable", 5.0, 1.0, 2)),
        # mean 200: a slope of exactly 1% of it (2 ms/day) is still stable
        ([(0, 199), (1, 201)], ("stable", 2.0, 1.0, 2)),
        ([(0, 201), (1, 199)], ("stable", -2.0, 1.0, 2)),
        ([(0, 199), (1, 202)], ("increasing", 3.0, 1.0, 2)),
        ([(0, 1000), (1, 989)], ("decreasing", -11.0, 1.0, 2)),
        # mean 10.5: a slope of 1 ms/day is more than 1% of it
        ([(0, 10), (1, 11)], ("increasing", 1.0, 1.0, 2)),
        ([(0, 11), (1, 10)], ("decreasing", -1.0, 1.0, 2)),
        ([(0, 500), (1, 500), (2, 500)], ("stable", 0.0, 0.0, 3)),
        ([(0, 0), (1, 0)], ("stable", 0.0, 0.0, 2)),
        ([(1, 100), (1, 900)], ("stable", 0.0, 0.0, 2)),
        ([(0, 700)], ("stable", 0.0, 0.0, 1)),
        ([], ("stable", 0.0, 0.0, 0)),
    ],
)
async def test_execution_trend_is_the_least_squares_line(analytics, session, points, expected):
    await record_trend(analytics, points)
    result = await outcome(analytics.compute_execution_trend("wf", session))
    assert result == dict(zip(("direction", "slope_ms_per_day", "confidence", "samples"), expected))


async def test_trend_slope_is_per_day_for_sub_day_spacing(analytics, session):
    await record_all(analytics, [
        execution("a", started_at=at(hours=0), execution_time_ms=1000),
        execution("b", started_at=at(hours=12), execution_time_ms=1100),
    ])
    assert STABLE_SLOPE_FRACTION == 0.01
    assert await outcome(analytics.compute_execution_trend("wf", session)) == {
        "direction": "increasing", "slope_ms_per_day": 200.0, "confidence": 1.0, "samples": 2,
    }


# --- Hypothesis: every query against a plain-Python reference ------------------------------------

histories = st.lists(
    st.tuples(
        st.sampled_from(["wf", "other"]),
        st.integers(min_value=0, max_value=3 * 86400),
        st.sampled_from(STATUSES),
        st.integers(min_value=0, max_value=100_000),
    ),
    max_size=12,
)


def reference_metrics(rows, since, until):
    chosen = [row for row in rows if since <= row["started_at"] < until]
    times = [row["execution_time_ms"] for row in chosen]
    successful = sum(row["status"] == "completed" for row in chosen)
    return {
        "total": len(chosen),
        "successful": successful,
        "failed": sum(row["status"] == "failed" for row in chosen),
        "success_rate": successful / len(chosen) if chosen else 0.0,
        "average_execution_time_ms": statistics.fmean(times) if times else None,
        "median_execution_time_ms": float(statistics.median(times)) if times else None,
        "min_execution_time_ms": min(times, default=None),
        "max_execution_time_ms": max(times, default=None),
    }


def reference_bucket(moment, granularity):
    size = BUCKET_SECONDS[granularity]
    return MONDAY + timedelta(seconds=(moment - MONDAY).total_seconds() // size * size)


def reference_series(rows, start, end, granularity):
    buckets = {}
    moment = reference_bucket(start, granularity)
    while moment < end:
        buckets[moment] = []
        moment += timedelta(seconds=BUCKET_SECONDS[granularity])
    for row in rows:
        if start <= row["started_at"] < end:
            buckets[reference_bucket(row["started_at"], granularity)].append(row)
    return [
        bucket(
            timestamp,
            len(chosen),
            sum(row["status"] == "completed" for row in chosen),
            sum(row["status"] == "failed" for row in chosen),
            statistics.fmean(row["execution_time_ms"] for row in chosen) if chosen else None,
        )
        for timestamp, chosen in buckets.items()
    ]


def reference_percentile(times, percentile):
    if not times:
        return None
    ordered = sorted(times)
    rank = percentile / 100 * (len(ordered) - 1)
    lower = int(rank)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (rank - lower)


def reference_trend(rows):
    """Slope by `statistics.linear_regression`, R² as the squared correlation, per the module docstring."""
    days = [(row["started_at"] - EPOCH).total_seconds() / 86400 for row in rows]
    times = [row["execution_time_ms"] for row in rows]
    varies = len(set(days)) > 1
    slope = statistics.linear_regression(days, times).slope if varies else 0.0
    confidence = statistics.correlation(days, times) ** 2 if varies and len(set(times)) > 1 else 0.0
    threshold = STABLE_SLOPE_FRACTION * statistics.fmean(times) if rows else 0.0
    direction = "increasing" if slope > threshold else "decreasing" if slope < -threshold else "stable"
    return {"direction": direction, "slope_ms_per_day": slope, "confidence": confidence, "samples": len(rows)}


def approx_floats(value):
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-12, abs=1e-9)
    if isinstance(value, dict):
        return {key: approx_floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [approx_floats(item) for item in value]
    return value


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    history=histories,
    window=st.tuples(st.integers(0, 3 * 86400), st.integers(1, 3 * 86400)),
    granularity=st.sampled_from(["minute", "hour", "day", "week"]),
    percentile=st.floats(min_value=0, max_value=100),
)
async def test_queries_match_a_plain_python_reference(factory, history, window, granularity, percentile):
    analytics = AnalyticsEngine(factory)
    with factory() as session:
        session.execute(delete(WorkflowExecution))
        session.commit()
    rows = [
        execution(f"h{index}", workflow_id=wf, status=status, started_at=at(seconds=offset), execution_time_ms=ms)
        for index, (wf, offset, status, ms) in enumerate(history)
    ]
    await record_all(analytics, rows)
    mine = [row for row in rows if row["workflow_id"] == "wf"]
    since, until = at(seconds=window[0]), at(seconds=window[0] + window[1])
    span = (at(seconds=window[0] // 2), at(seconds=window[0] // 2 + window[1]))
    times = [row["execution_time_ms"] for row in mine]
    with factory() as session:
        everything = await outcome(analytics.compute_workflow_metrics("wf", session))
        windowed = await outcome(analytics.compute_workflow_metrics("wf", session, since=since, until=until))
        series = await outcome(analytics.compute_execution_time_series("wf", span[0], span[1], granularity, session))
        value = await outcome(analytics.compute_percentile("wf", percentile, session))
        success_rate = await outcome(analytics.compute_success_rate("wf", session))
        trend = await outcome(analytics.compute_execution_trend("wf", session))
    far = timedelta(days=3650)
    assert everything == approx_floats(reference_metrics(mine, EPOCH - far, EPOCH + far))
    assert windowed == approx_floats(reference_metrics(mine, since, until))
    assert series == approx_floats(reference_series(mine, span[0], span[1], granularity))
    assert value == approx_floats(reference_percentile(times, percentile))
    assert success_rate == everything["success_rate"]
    assert trend == approx_floats(reference_trend(mine))


# --- end to end: the real workflow engine records into the database ------------------------------


def probe(step_id, depends_on=(), **inputs):
    return {"id": step_id, "action": "probe", "depends_on": list(depends_on), "inputs": inputs, "retries": 0}


async def test_the_workflow_engine_records_its_runs_and_the_metrics_match(factory):
    clock = FakeClock()
    log = ActionLog(clock)
    ids = iter(["run-ok", "run-bad", "run-ok-2"])
    engine = WorkflowEngine(
        analytics=AnalyticsEngine(), sleep=clock.sleep, clock=clock.now, actions=log.actions(), id_factory=lambda: next(ids)
    )
    good = {"id": "wf", "steps": [probe("a", duration=2), probe("b", ["a"], duration=3)]}
    # The FakeClock adds up the sleeps of concurrent steps: x and z take one second each.
    bad = {"id": "wf", "steps": [probe("x", duration=1, fail_times=1), probe("y", ["x"]), probe("z", duration=1)]}
    with factory() as session:
        results = [
            await engine.execute_workflow(good, db_session=session),
            await engine.execute_workflow(bad, db_session=session),
            await engine.execute_workflow(good, db_session=session),
        ]
    assert [(r["execution_id"], r["status"], r["duration_ms"]) for r in results] == [
        ("run-ok", "completed", 5000), ("run-bad", "failed", 2000), ("run-ok-2", "completed", 5000),
    ]
    analytics = AnalyticsEngine()
    with factory() as session:
        assert stored(session) == [
            {
                "id": 1, "workflow_id": "wf", "execution_id": "run-ok", "status": "completed", "started_at": at(seconds=0),
                "completed_at": at(seconds=5), "execution_time_ms": 5000, "total_steps": 2, "completed_steps": 2,
                "failed_steps": 0, "skipped_steps": 0, "error": None,
            },
            {
                "id": 2, "workflow_id": "wf", "execution_id": "run-bad", "status": "failed", "started_at": at(seconds=5),
                "completed_at": at(seconds=7), "execution_time_ms": 2000, "total_steps": 3, "completed_steps": 1,
                "failed_steps": 1, "skipped_steps": 1, "error": "step 'x': RuntimeError: x failure 1",
            },
            {
                "id": 3, "workflow_id": "wf", "execution_id": "run-ok-2", "status": "completed", "started_at": at(seconds=7),
                "completed_at": at(seconds=12), "execution_time_ms": 5000, "total_steps": 2, "completed_steps": 2,
                "failed_steps": 0, "skipped_steps": 0, "error": None,
            },
        ]
        assert await outcome(analytics.compute_workflow_metrics("wf", session)) == {
            "total": 3,
            "successful": 2,
            "failed": 1,
            "success_rate": 2 / 3,
            "average_execution_time_ms": 4000.0,
            "median_execution_time_ms": 5000.0,
            "min_execution_time_ms": 2000,
            "max_execution_time_ms": 5000,
        }
        assert await outcome(analytics.compute_execution_time_series("wf", at(), at(seconds=60), "minute", session)) == [
            bucket(at(), 3, 2, 1, 4000.0),
        ]
