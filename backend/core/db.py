"""Database connection helpers: URL from the environment, engine, schema and sessions.

`make_engine("sqlite://")` gives an in-memory SQLite database on one connection shared by all
of the engine's sessions (a `SharedConnectionPool`), so sessions made from one engine see the
same data. That connection is lent to one thread at a time: from a session's first statement
until its commit, rollback or close, other threads wait for it (up to
`SHARED_CONNECTION_TIMEOUT` seconds, then `sqlalchemy.exc.TimeoutError`). Sessions and tasks
of the thread holding it share it without waiting (and share its transaction). Unguarded, 8
threads recording 990 executions stored 963 (`SystemError`, `FlushError`, `OperationalError`,
sometimes a segmentation fault). Close sessions promptly: a thread that holds a session open
while it waits for another thread that needs the database waits out the timeout.
File and PostgreSQL databases use the default pool (one connection per checkout).
`postgresql://` (and `postgres://`) URLs use the psycopg 3 driver. A URL that cannot be
used raises `ValueError` naming it with its password masked.
"""

import os
import re
import threading

from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import ArgumentError, TimeoutError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.pool.base import _ConnectionFairy

from core.models import Base

DEFAULT_DATABASE_URL = "sqlite://"
POSTGRESQL_DRIVERS = ("postgresql", "postgres")
PSYCOPG_DRIVER = "postgresql+psycopg"
SQLITE_MEMORY_DATABASES = (None, "", ":memory:")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
SHARED_CONNECTION_TIMEOUT = 30.0


def database_url(environ=None):
    """`DATABASE_URL` from `environ` (default `os.environ`) when set and non-empty, else the default."""
    env = os.environ if environ is None else environ
    return env.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def mask_password(url):
    """`url` as text with any password replaced by `***`."""
    return _PASSWORD.sub(r"\1***@", str(url))


def make_engine(url=None):
    """A SQLAlchemy engine for `url` (default: `database_url()`)."""
    text = database_url() if url is None else url
    try:
        parsed = _with_driver(make_url(text))
        return _create(parsed)
    except ArgumentError as error:
        raise ValueError(f"invalid database URL {mask_password(text)!r}: {type(error).__name__}") from None


def _with_driver(url):
    if url.drivername in POSTGRESQL_DRIVERS:
        return url.set(drivername=PSYCOPG_DRIVER)
    return url


def _create(url):
    if url.get_backend_name() == "sqlite" and url.database in SQLITE_MEMORY_DATABASES:
        return create_engine(url, poolclass=SharedConnectionPool, connect_args={"check_same_thread": False})
    return create_engine(url)


class SharedConnectionPool(StaticPool):
    """StaticPool's one connection, lent to one thread at a time (see the module docstring).

    A thread's nested checkouts share its first one, as in SQLAlchemy's SingletonThreadPool,
    so the connection is checked in (and reset) once, when the last of them closes; only then
    does the next thread get it. StaticPool alone hands the connection to every thread at once.
    """

    def __init__(self, creator, timeout=SHARED_CONNECTION_TIMEOUT, **kw):
        super().__init__(creator, **kw)
        self.timeout = timeout
        self._holder = threading.Lock()
        self._checkouts = threading.local()

    def recreate(self):
        pool = super().recreate()
        pool.timeout = self.timeout
        return pool

    def connect(self):
        current = self._current_checkout()
        if current is not None:
            return current._checkout_existing()
        return _ConnectionFairy._checkout(self, self._checkouts)

    def _current_checkout(self):
        """This thread's open checkout of the connection, or None."""
        reference = getattr(self._checkouts, "current", None)
        return None if reference is None else reference()

    def _do_get(self):
        if not self._holder.acquire(timeout=self.timeout):
            raise TimeoutError(f"the shared in-memory SQLite connection was in use by another thread for {self.timeout:g} s")
        try:
            return super()._do_get()
        except BaseException:
            self._holder.release()
            raise

    def _do_return_conn(self, record):
        self._checkouts.__dict__.pop("current", None)
        self._holder.release()


def create_schema(engine):
    """Create every table of `core` that does not exist yet."""
    Base.metadata.create_all(engine)


def drop_schema(engine):
    """Drop every table of `core` that exists."""
    Base.metadata.drop_all(engine)


def make_session_factory(engine):
    """A `sessionmaker` bound to `engine` whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
