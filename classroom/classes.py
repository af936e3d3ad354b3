"""The rules of a live class, on top of a store that keeps its state.

A teacher starts a class and gets a join code (public: it is on the projector) and a
secret (kept by the teacher's browser; only it can ask, close and reveal). A student's
device joins with the code. The teacher asks one question at a time (a *poll*); each
poll has rounds (ask, discuss, ask again), and each device has at most one answer per
round, which it may change while the round is open. Revealing a poll records the right
answer, so every device can show it.

Nothing personal is stored: a device is a random id its browser made up; there are no
names and no addresses. A class and everything in it expire ``LIFETIME`` seconds after
it started.

Join codes have 8 characters from 32 that cannot be mistaken for one another, so
32**8 ≈ 1.1e12 codes: with 100 classes running, 10,000 guesses find one with a
probability of about 1e-6.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass, replace
from typing import Protocol

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1
CODE_LENGTH = 8
LIFETIME = 4 * 3600  # seconds a class lives
OPEN, CLOSED, REVEALED = "open", "closed", "revealed"


class StoreError(Exception):
    """The store cannot be reached or read (the message says which and why)."""


class Store(Protocol):
    """Where a class's state lives (classroom.sqlite_store, classroom.redis_store).

    A class is a JSON record under its code; its devices and each round's answers are
    kept beside it and expire with it. Every method raises StoreError when the store
    fails."""

    def add_class(self, code: str, record: str, expires: float, now: float) -> bool:
        """Keep a new class (and forget the classes expired by ``now``); False if a live
        class has that code."""

    def get_class(self, code: str, now: float) -> str | None:
        """The class's record, or None if there is no such live class."""

    def set_class(self, code: str, record: str) -> None:
        """Replace a live class's record (its expiry stays)."""

    def add_device(self, code: str, device: str, expires: float) -> None:
        """Count a device as joined (once however often it joins)."""

    def remove_device(self, code: str, device: str) -> None:
        """A device left."""

    def devices(self, code: str) -> int:
        """How many devices joined (and did not leave)."""

    def put_answer(self, code: str, round_key: str, device: str, value: str,
                   expires: float) -> None:
        """Keep a device's answer for a round, replacing its earlier one."""

    def answer_of(self, code: str, round_key: str, device: str) -> str | None:
        """A device's answer for a round, or None."""

    def answers(self, code: str, round_key: str) -> list[str]:
        """Every answer of a round, one per device."""


@dataclass(frozen=True)
class Poll:
    """The question a class is asked: ``question`` is its app-wide key (lesson/id),
    ``prompt`` its text as the teacher's page filled it in, ``settings`` a fingerprint of
    the settings it was asked for, ``answer`` the right answer for those settings (kept
    from the start, so a setting moved later cannot change it); ``round`` counts the rounds
    of answers; once revealed, ``reveal`` is that answer (see ui.live_class)."""
    number: int
    question: str
    prompt: str
    settings: str = ""
    answer: dict | None = None
    round: int = 1
    status: str = OPEN
    reveal: dict | None = None

    def round_key(self, round: int | None = None) -> str:
        return f"{self.number}.{round or self.round}"


@dataclass(frozen=True)
class Class:
    code: str
    expires: float
    poll: Poll | None = None
    joined: int = 0


@dataclass
class _Record:
    secret: str  # sha256 of the teacher's secret
    expires: float
    polls: int = 0  # how many polls were asked
    poll: dict | None = None
    ended: bool = False


def normalize(code: str) -> str:
    """A code as a person may type it ("abcd-2345 efgh"), in the stored form; "" if it
    cannot be one."""
    text = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return text if len(text) == CODE_LENGTH and set(text) <= set(ALPHABET) else ""


def spaced(code: str) -> str:
    """A code written for reading aloud: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Classes:
    """Live classes kept in ``store``; ``clock`` gives the time in seconds."""

    def __init__(self, store: Store, clock=time.time):
        self.store = store
        self.clock = clock

    # -- the teacher -------------------------------------------------------------------

    def start(self) -> tuple[str, str]:
        """A new class: ``(code, secret)``."""
        secret = secrets.token_urlsafe(18)
        now = self.clock()
        record = json.dumps(asdict(_Record(_digest(secret), now + LIFETIME)))
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if self.store.add_class(code, record, now + LIFETIME, now):
                return code, secret

    def teaches(self, code: str, secret: str) -> bool:
        """Whether ``secret`` is the teacher's secret of the live class ``code``."""
        record = self._record(code)
        return record is not None and hmac.compare_digest(record.secret, _digest(str(secret)))

    def ask(self, code: str, secret: str, question: str, prompt: str, settings: str = "",
            answer: dict | None = None) -> Poll:
        """Ask the class a new question (round 1, open), whose right ``answer`` (JSON-able)
        is revealed at the end."""
        record = self._teacher(code, secret)
        record.polls += 1
        poll = Poll(record.polls, question, prompt, settings, answer)
        self._save(code, record, poll)
        return poll

    def again(self, code: str, secret: str) -> Poll:
        """Open the next round of the current question (after a discussion)."""
        record = self._teacher(code, secret)
        poll = self._poll(record)
        poll = replace(poll, round=poll.round + 1, status=OPEN, reveal=None)
        self._save(code, record, poll)
        return poll

    def close(self, code: str, secret: str) -> Poll:
        """Stop taking answers for the current round."""
        record = self._teacher(code, secret)
        poll = replace(self._poll(record), status=CLOSED)
        self._save(code, record, poll)
        return poll

    def reveal(self, code: str, secret: str) -> Poll:
        """Close the current round and show the right answer."""
        record = self._teacher(code, secret)
        poll = self._poll(record)
        poll = replace(poll, status=REVEALED, reveal=poll.answer)
        self._save(code, record, poll)
        return poll

    def end(self, code: str, secret: str) -> None:
        """End the class for everyone (its answers are kept until it expires)."""
        record = self._teacher(code, secret)
        record.ended = True
        self.store.set_class(normalize(code), json.dumps(asdict(record)))

    # -- everyone ----------------------------------------------------------------------

    def find(self, code: str) -> Class | None:
        """The live class ``code`` (its current question, how many joined), or None."""
        record = self._record(code)
        if record is None:
            return None
        code = normalize(code)
        poll = Poll(**record.poll) if record.poll else None
        return Class(code, record.expires, poll, self.store.devices(code))

    def join(self, code: str, device: str) -> Class | None:
        """Join the class ``code`` from ``device``; None if there is no such live class."""
        live = self.find(code)
        if live is not None:
            self.store.add_device(live.code, device, live.expires)
        return live

    def leave(self, code: str, device: str) -> None:
        """``device`` leaves the class: it no longer counts as joined (its answers stay)."""
        self.store.remove_device(normalize(code), device)

    def answer(self, code: str, device: str, round_key: str, value) -> bool:
        """Keep ``device``'s answer (JSON-able) for ``round_key``: False, and nothing kept,
        unless that round is the class's open round."""
        live = self.find(code)
        if live is None or live.poll is None or live.poll.status != OPEN \
                or live.poll.round_key() != round_key:
            return False
        self.store.put_answer(live.code, round_key, device, json.dumps(value), live.expires)
        return True

    def answer_of(self, code: str, device: str, round_key: str):
        """``device``'s answer for ``round_key``, or None."""
        text = self.store.answer_of(normalize(code), round_key, device)
        return None if text is None else json.loads(text)

    def answers(self, code: str, round_key: str) -> list:
        """Every answer of a round."""
        return [json.loads(text) for text in self.store.answers(normalize(code), round_key)]

    # -- the record --------------------------------------------------------------------

    def _record(self, code: str) -> _Record | None:
        """The live class's record (None for an ended one)."""
        code = normalize(code)
        text = self.store.get_class(code, self.clock()) if code else None
        record = None if text is None else _Record(**json.loads(text))
        return None if record is None or record.ended else record

    def _teacher(self, code: str, secret: str) -> _Record:
        record = self._record(code)
        if record is None or not hmac.compare_digest(record.secret, _digest(str(secret))):
            raise PermissionError("only this class's teacher can do that")
        return record

    @staticmethod
    def _poll(record: _Record) -> Poll:
        if not record.poll:
            raise ValueError("the class has not been asked a question yet")
        return Poll(**record.poll)

    def _save(self, code: str, record: _Record, poll: Poll) -> None:
        record.poll = asdict(poll)
        self.store.set_class(normalize(code), json.dumps(asdict(record)))


def open_classes(setting: str, default_path: str) -> Classes:
    """The classes kept where ``setting`` says: ``redis://host:port/db`` for Redis (the app
    running as several replicas), ``sqlite:///path/to/file`` for a SQLite file, or empty
    for SQLite at ``default_path``."""
    if setting.startswith(("redis://", "rediss://", "unix://")):
        from classroom.redis_store import RedisStore
        return Classes(RedisStore(setting))
    from classroom.sqlite_store import SQLiteStore
    path = setting.removeprefix("sqlite://") if setting.startswith("sqlite://") else ""
    return Classes(SQLiteStore(path or default_path))
