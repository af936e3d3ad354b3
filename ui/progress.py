"""A learner's progress: the predictions they made, how they did on each lesson's checks,
and which questions come back for review. It is the learner's, not the server's: it
lives in their browser's localStorage (no account, nothing kept on the server), so it
survives a reload and a server restart, and a shared link never carries it.

A tiny ``st.components.v2`` component, mounted once per run by the app's frame, reports
what the browser has stored (once per session, and only if it has something) and
writes the session's progress back whenever it changes.

Spaced review (a Leitner schedule): a check missed on the first try is due for review
at once; each right answer in review moves it to a longer interval (REVIEW_DAYS), a
wrong one brings it back at once, and after the last interval it is retired.
"""
from __future__ import annotations

import datetime
import json

import streamlit as st

from explainers.lessons import LESSONS, PAGES, Lesson
from explainers.quiz import load
from ui.browser_js import WHEN_IDLE
from ui.url_sync import browser_reported

KEY = "progress_store"  # the component's state
STATE = "_progress"  # the session's progress: {"predictions": {...}, "checks": {...}}
LOADED = "_progress_loaded"  # the session's progress is the record (stored one taken in)
STORAGE_KEY = "adam-step-by-step/progress"
REVIEW_DAYS = (1, 3, 7)  # days until the next review after 1, 2, 3 right answers in review

_JS = WHEN_IDLE + """
export default function(component) {
  const { data, setStateValue } = component;
  let stored = null;
  try { stored = window.localStorage.getItem(data.storageKey); } catch (e) { return; }
  if (stored && !data.loaded) return whenIdle(() => setStateValue("stored", stored));
  if (data.save && data.save !== stored) window.localStorage.setItem(data.storageKey, data.save);
}
"""
_component = st.components.v2.component("adam_progress", js=_JS)


def today() -> int:
    return datetime.date.today().toordinal()


def _empty() -> dict:
    return {"predictions": {}, "checks": {}}


def _progress() -> dict:
    if STATE not in st.session_state:
        st.session_state[STATE] = _empty()
    return st.session_state[STATE]


def _stored() -> str | None:
    try:
        return st.session_state[KEY]["stored"]
    except (KeyError, TypeError):
        return None


def _merge(stored: str) -> None:
    """Take in what the browser stored (what this session did since wins), keeping only
    what still names a question of this app in the shape this module writes: storage is
    the browser's, and an old or edited copy must not break a page."""
    try:
        old = json.loads(stored)
        predictions, checks = old.get("predictions"), old.get("checks")
    except (ValueError, AttributeError):
        return  # unreadable storage: start afresh (the next save replaces it)
    progress = _progress()
    if isinstance(predictions, dict):
        progress["predictions"] = {**{k: v for k, v in predictions.items() if _known(k)},
                                   **progress["predictions"]}
    if isinstance(checks, dict):
        progress["checks"] = {**{k: v for k, v in checks.items() if _known(k, v)},
                              **progress["checks"]}


def _known(key, entry=None) -> bool:
    """Whether ``key`` names a question of this app (and ``entry``, a check's record, has
    the fields this module writes)."""
    lesson, _, qid = str(key).partition("/")
    if lesson not in {page.module for page in PAGES}:
        return False
    quiz = load(lesson)
    if entry is None:
        return qid in quiz.predictions
    return (qid in {q.id for q in quiz.checks} and isinstance(entry, dict)
            and ("box" not in entry or (isinstance(entry.get("box"), int)
                                        and isinstance(entry.get("due"), int))))


def keep() -> None:
    """Mount the store (invisible, in the sidebar); call once per run, from the frame.

    The browser reports what it stored once, when the session has nothing yet; from the
    first thing the learner does, the session's progress is the record and replaces what
    is stored (so a prediction taken back stays taken back)."""
    stored = _stored()
    if stored and not st.session_state.get(LOADED):
        _merge(stored)
        st.session_state[LOADED] = True
    progress = _progress()
    if any(progress.values()):
        st.session_state[LOADED] = True
    loaded = st.session_state.get(LOADED, False)
    with st.sidebar:
        _component(key=KEY, data={"storageKey": STORAGE_KEY, "loaded": loaded,
                                  "save": json.dumps(progress) if loaded else None},
                   default={"stored": None}, on_stored_change=browser_reported, height=0)


# -- predictions ---------------------------------------------------------------------

def prediction(key: str):
    """``(made, guess, settings)`` for a prediction (``lesson/id``): the guess is None when
    a presenter revealed it without one; ``settings`` names the settings it was made for
    (None if not known)."""
    stored = _progress()["predictions"].get(key)
    if isinstance(stored, dict) and "guess" in stored:
        return True, stored["guess"], stored.get("for")
    return key in _progress()["predictions"], stored, None


def predict(key: str, guess, settings: str | None = None) -> None:
    _progress()["predictions"][key] = {"guess": guess, "for": settings}


def forget(key: str) -> None:
    _progress()["predictions"].pop(key, None)


# -- checks and review ---------------------------------------------------------------

def answered(key: str) -> bool:
    return key in _progress()["checks"]


def first_try(key: str) -> bool:
    """Whether an answered check was right on the first try."""
    return bool(_progress()["checks"].get(key, {}).get("first"))


def check(key: str, right: bool) -> None:
    """Record a check's first answer (later tries change nothing: the score is the
    first try, and a miss goes to review)."""
    _progress()["checks"].setdefault(key, {"first": right, "box": 0, "due": today()}
                                     if not right else {"first": True})


def reviewed(key: str, right: bool) -> None:
    """Move a question along the review schedule."""
    entry = _progress()["checks"].get(key)
    if entry is None or "box" not in entry:
        return
    box = entry["box"] + 1 if right else 0
    if box > len(REVIEW_DAYS):
        entry.pop("box")
        entry.pop("due", None)
        return
    entry["box"] = box
    entry["due"] = today() + (REVIEW_DAYS[box - 1] if box else 0)


def due() -> list[str]:
    """The questions due for review today, oldest first, then in lesson order."""
    on, checks = today(), _progress()["checks"]
    return sorted((k for k, e in checks.items() if "box" in e and e["due"] <= on),
                  key=lambda k: (checks[k]["due"], _place(k)))


def _place(key: str) -> tuple[int, int]:
    """Where a check stands in the lesson path: its lesson's number, its place there."""
    module, _ = key.split("/")
    lesson = next(lesson for lesson in LESSONS if lesson.module == module)
    return lesson.number, [q.key for q in load(module).checks].index(key)


def waiting() -> int:
    """How many questions are on the review schedule but not due yet."""
    on = today()
    return sum(1 for e in _progress()["checks"].values() if "box" in e and e["due"] > on)


def score(lesson: Lesson) -> tuple[int, int, int]:
    """``(answered, right first time, checks)`` for a lesson."""
    keys = [q.key for q in load(lesson.module).checks]
    checks = _progress()["checks"]
    done = [checks[k] for k in keys if k in checks]
    return len(done), sum(1 for e in done if e.get("first")), len(keys)


def finished(lesson: Lesson) -> bool:
    done, _, total = score(lesson)
    return total > 0 and done == total
