"""The history of evaluated courses: each course's figures, kept to compare runs across courses.

By default a SQLite file in the user's data folder (`~/.local/share/trainer/history.sqlite`
on Linux, through platformdirs); `--db PATH` names another file, and `--db postgresql://...`
a PostgreSQL server that several field offices share. SQLAlchemy (Core) speaks to both, with
psycopg 3 for PostgreSQL. The tool creates the tables and migrates them: `trainer_schema`
holds the schema's version, and each step of MIGRATIONS brings a database one version on,
inside one transaction (on PostgreSQL under an advisory lock, so two offices upgrading at
once do not collide).

A course is known by its title, first day and city: evaluating it again replaces its
figures, so reading the same answers twice adds nothing. Only the figures report.json shows
are kept, so the small-group rule holds in the history as well.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .errors import TrainerError

SCHEMA_VERSION = 2
LOCK_KEY = 7_170_317
"""PostgreSQL advisory lock key held while the schema is created or migrated."""


class HistoryError(TrainerError):
    """Raised when the history database cannot be opened, created or read (a wrong URL, a server
    that does not answer, a database made by a newer trainer)."""


def default_path() -> Path:
    """Where the history is kept when no --db is given: the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("trainer", appauthor=False) / "history.sqlite"


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for --db: a PostgreSQL URL (driver psycopg 3), or a SQLite file path."""
    if not db:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if re.match(r"^postgres(ql)?://", db):
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", db)
    if db.startswith(("postgresql+psycopg://", "sqlite:///")):
        return db
    if "://" in db:
        raise HistoryError(f"--db {shown(db)}: give a file path (SQLite) or a postgresql://user@host/database URL")
    path = Path(db).expanduser()
    if path.is_dir():
        raise HistoryError(f"--db {db}: is a folder; give the path of a database file, such as {path / 'history.sqlite'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def shown(db: str | None) -> str:
    """The database as messages show it: never its password."""
    if not db:
        return str(default_path())
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db)


# ---------------------------------------------------------------------------- schema


def _tables() -> Any:
    from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Table

    metadata = MetaData()
    Table("trainer_schema", metadata, Column("version", Integer, nullable=False))
    Table(
        "runs", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("course_key", String(400), nullable=False, unique=True),
        Column("title", String(300), nullable=False),
        Column("start_date", String(10)),
        Column("city", String(100)),
        Column("language", String(5), nullable=False),
        Column("participants", Integer, nullable=False),
        Column("responses", Integer, nullable=False),
        Column("recorded", String(32), nullable=False),
    )
    Table(
        "figures", metadata,
        Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        Column("scope", String(20), nullable=False),
        Column("item", String(100), nullable=False),
        Column("measure", String(60), nullable=False),
        Column("grp", String(60), nullable=False),
        Column("n", Integer, nullable=False),
        Column("mean", Float),
    )
    return metadata


def _migrate_1(connection: Any, metadata: Any) -> None:
    """Version 1: the runs and their figures."""
    metadata.tables["runs"].create(connection, checkfirst=True)
    metadata.tables["figures"].create(connection, checkfirst=True)


def _migrate_2(connection: Any, metadata: Any) -> None:
    """Version 2: an index for the history query (one session's or one measure's runs)."""
    from sqlalchemy import Index

    Index("ix_figures_scope_item", metadata.tables["figures"].c.scope, metadata.tables["figures"].c.item).create(
        connection, checkfirst=True)


MIGRATIONS: dict[int, Callable[[Any, Any], None]] = {1: _migrate_1, 2: _migrate_2}


def connect(db: str | None, upto: int = SCHEMA_VERSION) -> tuple[Any, Any]:
    """An engine on the database, its schema created or migrated to `upto`; and the tables."""
    from sqlalchemy import create_engine, select, text
    from sqlalchemy.exc import SQLAlchemyError

    url = database_url(db)
    metadata = _tables()
    try:
        engine = create_engine(url, pool_pre_ping=True)
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            elif engine.dialect.name == "sqlite":
                connection.execute(text("PRAGMA foreign_keys = ON"))
            schema = metadata.tables["trainer_schema"]
            schema.create(connection, checkfirst=True)
            version = connection.execute(select(schema.c.version)).scalar()
            if version is None:
                connection.execute(schema.insert().values(version=0))
                version = 0
            if version > SCHEMA_VERSION:
                raise HistoryError(f"{shown(db)}: the history was written by a newer trainer (schema version {version}, "
                                   f"this trainer knows up to {SCHEMA_VERSION}); update trainer to use it")
            for step in range(version + 1, upto + 1):
                MIGRATIONS[step](connection, metadata)
                connection.execute(schema.update().values(version=step))
    except SQLAlchemyError as error:
        raise HistoryError(f"{shown(db)}: the history database cannot be used ({_reason(error)})") from None
    except ImportError as error:
        raise HistoryError(f"{shown(db)}: the database driver is not installed ({error.name})") from None
    return engine, metadata


def schema_version(db: str | None) -> int:
    """The schema version the database is at (after creating or migrating it)."""
    from sqlalchemy import select

    engine, metadata = connect(db)
    with engine.connect() as connection:
        version = connection.execute(select(metadata.tables["trainer_schema"].c.version)).scalar()
    engine.dispose()
    return int(version or 0)


def _reason(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return re.sub(r"(password=)\S+", r"\1***", text)[:200]


# ---------------------------------------------------------------------------- recording


def course_key(course: dict[str, Any]) -> str:
    return "|".join([course["title"], course.get("start_date") or "", course.get("city") or ""])


def _figure_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's figures as history rows: everyone, and each group report.json shows."""
    rows: list[dict[str, Any]] = []

    def add(scope: str, item: str, measure: str, figure: dict[str, Any]) -> None:
        if figure is None or figure.get("n") is None:
            return
        rows.append({"scope": scope, "item": item, "measure": measure, "grp": "all", "n": figure["n"], "mean": figure.get("mean")})
        for key, prefix in (("by_gender", "gender"), ("by_sector", "sector")):
            for group in figure.get(key, []):
                rows.append({"scope": scope, "item": item, "measure": measure, "grp": f"{prefix}:{group['group']}",
                             "n": group["n"], "mean": group.get("mean")})

    for session in report["sessions"]:
        for rating in session["ratings"]:
            add("session", session["session"], rating["id"], rating)
        if session["ratings"]:
            add("session", session["session"], "overall", session["overall"])
    for rating in report["course_ratings"]:
        add("course", rating["id"], "mean", rating)
    for objective in report["objectives"]:
        add("objective", objective["id"], "end", objective["end"])
        if objective["start"]:
            add("objective", objective["id"], "start", objective["start"])
    for item in report["pre_post"]:
        add("pre-post", item["id"], "start", item["start"])
        add("pre-post", item["id"], "end", item["end"])
    inventory = report.get("self_inventory")
    if inventory:
        for section in inventory["sections"]:
            add("inventory", section["section"], "start", section["start"])
            add("inventory", section["section"], "end", section["end"])
    for name, figure in report["summary"].items():
        add("summary", name, "mean", figure)
    for entry in report["responses"]:
        item = entry["form"] + (f"-day-{entry['day']}" if entry["day"] else "") + (f"-{entry['when']}" if entry.get("when") else "")
        rows.append({"scope": "responses", "item": item, "measure": "rate", "grp": "all", "n": entry["n"], "mean": entry["rate"]})
    return rows


def record(db: str | None, report: dict[str, Any]) -> str:
    """Store (or replace) the course's figures; returns where, as messages show it."""
    from sqlalchemy import delete, select
    from sqlalchemy.exc import SQLAlchemyError

    engine, metadata = connect(db)
    runs, figures = metadata.tables["runs"], metadata.tables["figures"]
    course = report["course"]
    key = course_key(course)
    values = {
        "course_key": key, "title": course["title"], "start_date": course.get("start_date"), "city": course.get("city"),
        "language": course["language"], "participants": course["participants"],
        "responses": sum(entry["used"] for entry in report["files"]),
        "recorded": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    try:
        with engine.begin() as connection:
            run_id = connection.execute(select(runs.c.id).where(runs.c.course_key == key)).scalar()
            if run_id is None:
                run_id = connection.execute(runs.insert().values(**values)).inserted_primary_key[0]
            else:
                connection.execute(runs.update().where(runs.c.id == run_id).values(**values))
                connection.execute(delete(figures).where(figures.c.run_id == run_id))
            rows = _figure_rows(report)
            if rows:
                connection.execute(figures.insert(), [{"run_id": run_id, **row} for row in rows])
    except SQLAlchemyError as error:
        raise HistoryError(f"{shown(db)}: the course could not be recorded ({_reason(error)})") from None
    finally:
        engine.dispose()
    return shown(db)


# ---------------------------------------------------------------------------- the history query

SESSION_MEASURES = ("knowledge", "relevance", "methods", "overall")
SUMMARY_MEASURES = ("sessions", "course", "objectives", "overall")


def query(db: str | None, session: str | None = None) -> dict[str, Any]:
    """Every recorded course, oldest first, with one session's ratings (`session`) or the
    course's summary figures, for everyone (groups are kept in the database, not compared here)."""
    from sqlalchemy import and_, select
    from sqlalchemy.exc import SQLAlchemyError

    engine, metadata = connect(db)
    runs, figures = metadata.tables["runs"], metadata.tables["figures"]
    scope, item_filter, measures = ("session", session, SESSION_MEASURES) if session else ("summary", None, SUMMARY_MEASURES)
    try:
        with engine.connect() as connection:
            courses = connection.execute(select(runs).order_by(runs.c.start_date, runs.c.title, runs.c.id)).mappings().all()
            condition = and_(figures.c.scope == scope, figures.c.grp == "all")
            if item_filter:
                condition = and_(condition, figures.c.item == item_filter)
            found = connection.execute(select(figures).where(condition)).mappings().all()
    except SQLAlchemyError as error:
        raise HistoryError(f"{shown(db)}: the history could not be read ({_reason(error)})") from None
    finally:
        engine.dispose()
    by_run: dict[int, dict[str, dict[str, Any]]] = {}
    for row in found:
        measure = row["measure"] if session else row["item"]
        by_run.setdefault(row["run_id"], {})[measure] = {"n": row["n"], "mean": row["mean"]}
    out = []
    for course in courses:
        values = by_run.get(course["id"], {})
        if session and not values:
            continue
        out.append({
            "title": course["title"], "start_date": course["start_date"], "city": course["city"],
            "participants": course["participants"], "responses": course["responses"],
            "values": {measure: values.get(measure) for measure in measures},
        })
    return {"scope": session or "course", "measures": list(measures), "courses": out}
