"""Speed benchmark of the analytics queries on 100,000 recorded executions of one workflow.

Fills a database (default: in-memory SQLite; `--url` or DATABASE_URL for another) with
synthetic executions by bulk insert, then times `compute_workflow_metrics`,
`compute_execution_time_series` (hour buckets over the whole history),
`compute_percentile` (95th) and `compute_execution_trend`, printing seconds for each.
The aim is under one second for the metrics.

    .venv/bin/python scripts/bench_analytics.py [--rows 100000] [--url sqlite://]
"""

import argparse
import asyncio
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from core import db
from core.models import WorkflowExecution
from core.workflow_analytics_engine import AnalyticsEngine

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
STATUSES = ("completed", "completed", "completed", "failed", "partial", "cancelled")
BATCH = 10_000


def synthetic_row(index):
    """One deterministic execution, a minute after the previous one."""
    started_at = START + timedelta(minutes=index)
    execution_time_ms = (index * 7919) % 60_000
    return {
        "workflow_id": "bench",
        "execution_id": f"bench-{index}",
        "status": STATUSES[index % len(STATUSES)],
        "started_at": started_at,
        "completed_at": started_at + timedelta(milliseconds=execution_time_ms),
        "execution_time_ms": execution_time_ms,
        "total_steps": 4,
        "completed_steps": 3,
        "failed_steps": 1,
        "skipped_steps": 0,
        "error": None,
    }


def fill(session_factory, rows):
    """Bulk insert `rows` synthetic executions in batches; returns the seconds it took."""
    began = time.perf_counter()
    with session_factory() as session:
        for first in range(0, rows, BATCH):
            session.execute(insert(WorkflowExecution), [synthetic_row(i) for i in range(first, min(first + BATCH, rows))])
        session.commit()
    return time.perf_counter() - began


async def timed(label, awaitable):
    began = time.perf_counter()
    result = await awaitable
    print(f"{label:<34} {time.perf_counter() - began:8.3f} s")
    return result


async def run(url, rows):
    engine = db.make_engine(url)
    try:
        db.drop_schema(engine)
        db.create_schema(engine)
        factory = db.make_session_factory(engine)
        print(f"database: {db.mask_password(engine.url.render_as_string(hide_password=False))}")
        print(f"{'bulk insert of ' + str(rows) + ' rows':<34} {fill(factory, rows):8.3f} s")
        analytics = AnalyticsEngine(factory)
        end = START + timedelta(minutes=rows)
        with factory() as session:
            metrics = await timed("compute_workflow_metrics", analytics.compute_workflow_metrics("bench", session))
            series = await timed(
                "compute_execution_time_series/hour",
                analytics.compute_execution_time_series("bench", START, end, "hour", session),
            )
            p95 = await timed("compute_percentile(95)", analytics.compute_percentile("bench", 95, session))
            trend = await timed("compute_execution_trend", analytics.compute_execution_trend("bench", session))
        print(f"metrics: {metrics}")
        print(f"series buckets: {len(series)}, p95: {p95}, trend: {trend}")
    finally:
        engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", default=None, help="database URL (default: DATABASE_URL or in-memory SQLite)")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.url, arguments.rows))


if __name__ == "__main__":
    main()
