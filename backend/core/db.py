"""Database connection helpers: URL from the environment, engine, schema and sessions.

`make_engine("sqlite://")` gives an in-memory SQLite database shared by all of the engine's
connections (a `StaticPool`), so sessions made from one engine see the same data.
`postgresql://` (and `postgres://`) URLs use the psycopg 3 driver. A URL that cannot be
used raises `ValueError` naming it with its password masked.
"""

import os
import re

from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from core.models import Base

DEFAULT_DATABASE_URL = "sqlite://"
POSTGRESQL_DRIVERS = ("postgresql", "postgres")
PSYCOPG_DRIVER = "postgresql+psycopg"
SQLITE_MEMORY_DATABASES = (None, "", ":memory:")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


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
        return create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    return create_engine(url)


def create_schema(engine):
    """Create every table of `core` that does not exist yet."""
    Base.metadata.create_all(engine)


def drop_schema(engine):
    """Drop every table of `core` that exists."""
    Base.metadata.drop_all(engine)


def make_session_factory(engine):
    """A `sessionmaker` bound to `engine` whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
