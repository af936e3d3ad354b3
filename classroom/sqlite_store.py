"""A class store in one SQLite file: no setup, and a server restart loses nothing.

The file is in WAL mode with ``synchronous=NORMAL``: a commit survives the server
process being killed (only a power cut can lose the last commits). One connection is
shared by the server's threads, one statement at a time; each takes microseconds.
Expired classes are deleted, with their devices and answers, whenever a class starts.
"""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from classroom.classes import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (code TEXT PRIMARY KEY, record TEXT NOT NULL,
                                    expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS devices (code TEXT NOT NULL, device TEXT NOT NULL,
                                    PRIMARY KEY (code, device));
CREATE TABLE IF NOT EXISTS answers (code TEXT NOT NULL, round TEXT NOT NULL,
                                    device TEXT NOT NULL, value TEXT NOT NULL,
                                    PRIMARY KEY (code, round, device));
"""


class SQLiteStore:
    """classroom.classes.Store in the SQLite file at ``path`` (made if missing)."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                       timeout=10)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"the class store file {path} cannot be opened: {err}") from err

    @contextmanager
    def _sql(self):
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as err:
                raise StoreError(f"the class store file {self.path} failed: {err}") from err

    def add_class(self, code, record, expires, now):
        with self._sql() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("answers", "devices"):
                    db.execute(f"DELETE FROM {table} WHERE code IN "
                               "(SELECT code FROM classes WHERE expires <= ?)", (now,))
                db.execute("DELETE FROM classes WHERE expires <= ?", (now,))
                added = db.execute("INSERT OR IGNORE INTO classes VALUES (?, ?, ?)",
                                   (code, record, expires)).rowcount == 1
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return added

    def get_class(self, code, now):
        with self._sql() as db:
            row = db.execute("SELECT record FROM classes WHERE code = ? AND expires > ?",
                             (code, now)).fetchone()
        return row[0] if row else None

    def set_class(self, code, record):
        with self._sql() as db:
            db.execute("UPDATE classes SET record = ? WHERE code = ?", (record, code))

    def add_device(self, code, device, expires):
        with self._sql() as db:
            db.execute("INSERT OR IGNORE INTO devices VALUES (?, ?)", (code, device))

    def remove_device(self, code, device):
        with self._sql() as db:
            db.execute("DELETE FROM devices WHERE code = ? AND device = ?", (code, device))

    def devices(self, code):
        with self._sql() as db:
            return db.execute("SELECT COUNT(*) FROM devices WHERE code = ?", (code,)).fetchone()[0]

    def put_answer(self, code, round_key, device, value, expires):
        with self._sql() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                       (code, round_key, device, value))

    def answer_of(self, code, round_key, device):
        with self._sql() as db:
            row = db.execute("SELECT value FROM answers WHERE code = ? AND round = ? "
                             "AND device = ?", (code, round_key, device)).fetchone()
        return row[0] if row else None

    def answers(self, code, round_key):
        with self._sql() as db:
            return [row[0] for row in db.execute(
                "SELECT value FROM answers WHERE code = ? AND round = ? ORDER BY device",
                (code, round_key))]

    def close(self) -> None:
        with self._lock:
            self._db.close()

