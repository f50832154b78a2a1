"""``specgen migrate`` on a SQLite file, at the source (``sqlite_schema.migrate_file`` and its
backup): the plan shown or applied in one transaction after a complete copy is kept beside the
database, and every refusal a one-line message that leaves the file as it was and no backup.

The CLI's tests (tests/server/test_migrations.py) run a generated copy; these run the source,
on real database files in tmp_path.
"""

from __future__ import annotations

import re
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.runtime.server import sqlite_schema
from generator.runtime.server.migration import MigrationError
from generator.runtime.server.table import Column, Table

NOTE = Column("note", "note", "string", "TEXT")
STAMP = "%Y%m%dT%H%M%SZ"


def item(*extra: Column, unique_name: bool = False) -> Table:
    return Table(
        name="item",
        category="items",
        columns=(
            Column("ID", "id", "string", "TEXT", unique=True),
            Column("name", "name", "string", "TEXT", unique=unique_name),
            *extra,
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
    )


def made_by(path: Path, table: Table, names: tuple[str, ...] = ("one", "two", "three")) -> Path:
    """A database file as ``table``'s spec made it, one item per name (a note on each when the
    table has one)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in table.ddl():
            conn.execute(statement)
        for i, name in enumerate(names):
            conn.execute("INSERT INTO item (id, name) VALUES (?, ?)", (f"i{i}", name))
        if "note" in table.by_name:
            conn.execute("UPDATE item SET note = 'note of ' || name")
    finally:
        conn.close()
    return path


def dump(path: Path) -> list[str]:
    """Every table and row of a database file, as SQL."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def stamps_from_now(seconds: int) -> list[str]:
    """The backup stamps of the next ``seconds`` seconds (and the one just gone)."""
    start = datetime.now(UTC)
    return [(start + timedelta(seconds=k)).strftime(STAMP) for k in range(-1, seconds)]


@pytest.fixture
def far_east_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time 14 hours ahead of UTC, so a stamp in local time cannot pass for UTC."""
    monkeypatch.setenv("TZ", "XYZ-14")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_dry_run_shows_the_plan_and_changes_nothing(tmp_path: Path) -> None:
    db = made_by(tmp_path / "item.db", item(NOTE))
    before = db.read_bytes()
    plan, backup = sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=False)
    assert backup is None
    assert [(s.table, s.what, s.rows, s.additive, s.details) for s in plan.steps] == [
        ("item", "rebuild the table", 3, False, ("drop column note: 3 stored values lost",))
    ]
    assert (plan.spec_version, plan.found.spec_version) == ("2.0", "")
    assert db.read_bytes() == before
    assert files(tmp_path) == {"item.db"}


def test_the_plan_waits_for_a_writer_and_is_read_after_its_change(tmp_path: Path) -> None:
    """The plan is read under the write lock, taken at once (BEGIN IMMEDIATE), waiting for a
    writer rather than failing: it sees what the writer committed, never the state before."""
    db = made_by(tmp_path / "item.db", item())
    writer = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("ALTER TABLE item ADD COLUMN note TEXT")
        committer = threading.Timer(0.3, writer.execute, ("COMMIT",))
        committer.start()
        plan, backup = sqlite_schema.migrate_file(db, [item(NOTE)], "2.0", apply_plan=False)
        committer.join()
    finally:
        writer.close()
    assert (plan.steps, backup) == ((), None), "the column the writer added is seen"


@pytest.mark.usefixtures("far_east_clock")
def test_an_applied_plan_is_done_after_a_complete_backup_stamped_in_utc(tmp_path: Path) -> None:
    db = made_by(tmp_path / "item.db", item(NOTE))
    original = dump(db)
    shown, _ = sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=False)
    started = datetime.now(UTC).replace(microsecond=0)
    plan, backup = sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=True)
    ended = datetime.now(UTC)
    assert plan == shown, "the plan applied is the plan shown"
    assert backup is not None and backup.parent == tmp_path
    named = re.fullmatch(r"item\.db\.backup-(\d{8}T\d{6}Z)", backup.name)
    assert named is not None, backup.name
    taken = datetime.strptime(named.group(1), STAMP).replace(tzinfo=UTC)
    assert started <= taken <= ended, "the stamp is the UTC time the backup was taken"
    assert dump(backup) == original, "the backup is the database as it was before any change"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600, "readable by its owner only"
    assert files(tmp_path) == {"item.db", backup.name}
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT * FROM item ORDER BY _seq").fetchall() == [
            (1, "i0", "one"),
            (2, "i1", "two"),
            (3, "i2", "three"),
        ]
        assert sqlite_schema.read_recorded(conn).spec_version == "2.0"
        assert sqlite_schema.plan_for(conn, [item()], "2.0").steps == (), "nothing is left to do"
    finally:
        conn.close()


def test_a_database_with_nothing_to_do_is_left_alone_and_keeps_no_backup(tmp_path: Path) -> None:
    db = made_by(tmp_path / "item.db", item())
    before = db.read_bytes()
    plan, backup = sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=True)
    assert (plan.steps, backup) == ((), None)
    assert db.read_bytes() == before
    assert files(tmp_path) == {"item.db"}


def test_a_plan_the_data_refuses_changes_nothing_and_keeps_no_backup(tmp_path: Path) -> None:
    db = made_by(tmp_path / "item.db", item(), names=("same", "same"))
    before = db.read_bytes()
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.migrate_file(db, [item(unique_name=True)], "2.0", apply_plan=True)
    assert str(refused.value) == (
        f"{db}: item: rebuild the table: the data stored refuses it (UNIQUE constraint failed: item.name);"
        " nothing was changed"
    )
    assert db.read_bytes() == before
    assert files(tmp_path) == {"item.db"}


def test_a_backup_that_cannot_be_made_refuses_the_plan_with_the_system_s_reason(tmp_path: Path) -> None:
    # A name the file system takes, but not with the backup's suffix (255 bytes at most).
    db = made_by(tmp_path / ("d" * 240), item(NOTE))
    before = db.read_bytes()
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=True)
    assert str(refused.value) == f"{db}: File name too long; nothing was changed"
    assert db.read_bytes() == before
    assert files(tmp_path) == {db.name}


def test_a_missing_file_or_a_directory_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.migrate_file(missing, [item()], "2.0", apply_plan=True)
    assert str(refused.value) == f"{missing}: no such database file"
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.migrate_file(tmp_path, [item()], "2.0", apply_plan=False)
    assert str(refused.value) == f"{tmp_path}: no such database file"
    assert files(tmp_path) == set()


def test_a_file_that_is_not_a_database_is_refused_as_it_is(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, " * 256)
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.migrate_file(junk, [item()], "2.0", apply_plan=True)
    assert str(refused.value) == f"{junk}: file is not a database; nothing was changed"
    assert junk.read_bytes() == b"not a database, " * 256
    assert files(tmp_path) == {"junk.db"}


def test_a_file_sqlite_cannot_open_is_refused_with_sqlite_s_reason(tmp_path: Path) -> None:
    # SQLite opens no path longer than 512 bytes; the file system holds it.
    deep = tmp_path / ("d" * 200) / ("d" * 200) / ("d" * 200)
    deep.mkdir(parents=True)
    db = made_by(tmp_path / "item.db", item()).rename(deep / "item.db")
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=True)
    assert str(refused.value) == f"{db}: unable to open database file"
    assert files(deep) == {"item.db"}


def test_backups_of_the_same_second_are_numbered_from_2_and_none_is_overwritten(tmp_path: Path) -> None:
    db = made_by(tmp_path / "item.db", item(NOTE))
    original = dump(db)
    window = stamps_from_now(120)
    taken = {tmp_path / f"item.db.backup-{s}" for s in window}
    for placeholder in taken:
        placeholder.write_bytes(b"")
    second = sqlite_schema._backup(db)
    assert second in {tmp_path / f"item.db.backup-{s}-2" for s in window}
    taken |= {tmp_path / f"item.db.backup-{s}-2" for s in window} - {second}
    for placeholder in taken:
        placeholder.touch()
    third = sqlite_schema._backup(db)
    assert third in {tmp_path / f"item.db.backup-{s}-3" for s in window}
    assert dump(second) == dump(third) == original
    assert all(p.read_bytes() == b"" for p in taken), "a file already there is never written over"
    assert files(tmp_path) == {"item.db", second.name, third.name} | {p.name for p in taken}


def test_a_backup_that_fails_leaves_no_file_behind(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, " * 256)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite_schema._backup(junk)
    assert files(tmp_path) == {"junk.db"}


@pytest.mark.parametrize("name", ["a#b.db", "a?x=1.db", "a%20b.db", "two words.db"])
def test_a_database_whose_name_uri_syntax_reads_is_the_one_migrated(tmp_path: Path, name: str) -> None:
    """The database is opened by URI (for its mode): a #, ?, % or space in its name is escaped,
    so the file planned, backed up and changed is the one named, and no other file is made."""
    db = made_by(tmp_path / name, item(NOTE))
    original = dump(db)
    plan, backup = sqlite_schema.migrate_file(db, [item()], "2.0", apply_plan=True)
    assert [s.what for s in plan.steps] == ["rebuild the table"]
    assert backup is not None and backup.name.startswith(f"{name}.backup-")
    assert dump(backup) == original
    assert files(tmp_path) == {name, backup.name}
    conn = sqlite3.connect(db)
    try:
        assert sqlite_schema.plan_for(conn, [item()], "2.0").steps == ()
    finally:
        conn.close()
