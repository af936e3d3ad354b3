"""Predictions and checks: what a lesson asks, and how an answer is graded.

A lesson's questions live in ``explainers/text/<module>.toml`` beside its prose, in two
lists: ``[[predict]]``, asked before a figure or number is shown, and ``[[check]]``,
asked at the end. A question is one of three kinds:

- ``choice``: pick one option (``options``, each with a ``why`` that answers the
  reasoning that leads to it);
- ``number``: type (a check) or drag to (a prediction) a number; right within a relative
  ``tolerance``;
- ``point``: a point (x, y) on a map; right within a distance ``tolerance``, or within
  the result's own ``tolerance`` field when it has one (a distance the explainer computes,
  e.g. a fraction of the map it asks about).

The right answer is never typed. ``answer`` names a function of the lesson's explainer
that computes it with the engine: for a check from the question's fixed ``args``, for a
prediction from the settings on the page when the learner commits, so a prediction stays
true after a slider moves. The function returns a dataclass with an ``answer`` field
(a number, an (x, y) point, or the key, or frozenset of keys, of the right options) and
any other numbers the explanation quotes as ``{{name}}``. A choice whose answer is a
fact rather than a number gives the right key as ``correct`` instead.

A numeric check may list ``traps``: answers a likely slip gives (a field of the result,
e.g. v before the correction), each with the reasoning that leads there.
"""
from __future__ import annotations

import dataclasses
import importlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .text import fill, readable

TEXT = Path(__file__).parent / "text"
KINDS = ("choice", "number", "point")


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    why: str = ""  # the reasoning that leads to this option, shown when it is chosen wrongly
    #                (and, for a fact given as ``correct``, why the right option is right)


@dataclass(frozen=True)
class Trap:
    field: str  # the result's field (or the question's arg) holding the number a slip gives
    why: str


@dataclass(frozen=True)
class Question:
    lesson: str  # the explainer module
    id: str
    kind: str
    prompt: str
    explain: str  # shown with every verdict, placeholders filled from the truth
    answer: str = ""  # the explainer function computing the truth
    correct: str = ""  # a choice's right option, when it is a fact and not a number
    args: dict = field(default_factory=dict)  # a check's fixed settings
    options: tuple[Option, ...] = ()
    tolerance: float = 0.02
    unit: str = ""
    scale: str = "linear"  # a number prediction's slider: "linear" or "log"
    low: float = 0.0
    high: float = 1.0
    traps: tuple[Trap, ...] = ()

    @property
    def key(self) -> str:
        """The question's name across the app (progress, review)."""
        return f"{self.lesson}/{self.id}"


@dataclass(frozen=True)
class Quiz:
    predictions: dict[str, Question]
    checks: tuple[Question, ...]


@dataclass(frozen=True)
class Fact:
    """The truth of a choice question whose answer is a fact."""
    answer: str


@dataclass(frozen=True)
class Verdict:
    right: bool
    given: str  # the learner's answer, written out
    truth: str  # the right answer, written out
    distance: str  # how far off a number or a point was ("" for a choice)
    why: str  # the explanation, with the reasoning behind a wrong choice or a trap first


def _question(lesson: str, raw: dict) -> Question:
    raw = dict(raw)
    raw["options"] = tuple(Option(**o) for o in raw.get("options", ()))
    raw["traps"] = tuple(Trap(**t) for t in raw.get("traps", ()))
    question = Question(lesson=lesson, **raw)
    if question.kind not in KINDS:
        raise ValueError(f"{question.key}: kind must be one of {KINDS}")
    if bool(question.answer) == bool(question.correct):
        raise ValueError(f"{question.key}: give either answer (computed) or correct (a fact)")
    if question.correct and question.correct not in {o.key for o in question.options}:
        raise ValueError(f"{question.key}: correct names no option")
    return question


@lru_cache(maxsize=32)
def load(lesson: str) -> Quiz:
    """The predictions and checks of ``lesson`` (its explainer module's name)."""
    path = TEXT / f"{lesson}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    predictions = tuple(_question(lesson, q) for q in data.get("predict", ()))
    return Quiz({q.id: q for q in predictions},
                tuple(_question(lesson, q) for q in data.get("check", ())))


def find(key: str) -> Question:
    """A question by its app-wide key, ``lesson/id``."""
    lesson, qid = key.split("/")
    quiz = load(lesson)
    return quiz.predictions.get(qid) or next(q for q in quiz.checks if q.id == qid)


def truth(question: Question, **settings):
    """The right answer, computed by the explainer from ``settings`` (a prediction's
    page settings; a check uses its own ``args``)."""
    if question.correct:
        return Fact(question.correct)
    explainer = importlib.import_module(f"explainers.{question.lesson}")
    return getattr(explainer, question.answer)(**{**question.args, **settings})


def values(question: Question, result) -> dict[str, Any]:
    """The placeholders a question's text may quote: its args and the result's fields,
    numbers written for reading."""
    fields = dataclasses.asdict(result) if dataclasses.is_dataclass(result) else {}
    return {k: readable(v) for k, v in {**question.args, **fields}.items()}


def prompt(question: Question, **settings) -> str:
    """The question, filled from its args and the page's ``settings``."""
    return fill(question.prompt, question.key,
                **{k: readable(v) for k, v in {**question.args, **settings}.items()})


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$")
_POWER = re.compile(r"^(?:(.+?)\s*[x×*·]\s*)?10\s*(?:\^|\*\*)\s*\(?([+-]?\d+)\)?$")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


def parse_number(text: str) -> float | None:
    """A number as a learner may type it: ``0.04``, ``4e-2``, ``4 × 10^-2``, ``4·10⁻²``,
    ``10^-2``, ``1/25``, ``4%``, ``3,16`` (a decimal comma), ``1,000`` or ``1 000``, with a
    unit such as α after it; ``None`` if it is not one."""
    s = (text or "").strip().lower().replace("−", "-").replace("–", "-")
    s = re.sub(r"\s*(α|alpha|a)$", "", s)
    if re.fullmatch(r".*10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+", s):
        head, power = re.match(r"(.*?)10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)$", s).groups()
        s = f"{head}10^{power.translate(_SUPERSCRIPT)}"
    percent = s.endswith("%")
    s = s.rstrip("%").strip()
    if re.fullmatch(r"[+-]?\d{1,3}([, ]\d{3})+(\.\d*)?", s):
        s = s.replace(",", "").replace(" ", "")
    elif s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    value = _plain(s)
    if value is None:
        return None
    return value / 100 if percent else value


def _plain(s: str) -> float | None:
    s = s.replace(" ", "")
    if _NUMBER.match(s):
        value = float(s)
    elif (power := _POWER.match(s)) is not None:
        head = _plain(power.group(1)) if power.group(1) else 1.0
        value = None if head is None else head * 10.0 ** int(power.group(2))
    elif s.count("/") == 1:
        top, bottom = (_plain(part) for part in s.split("/"))
        value = None if top is None or not bottom else top / bottom
    else:
        value = None
    return value if value is not None and math.isfinite(value) else None


def _number_text(value: float, unit: str) -> str:
    """A verdict's number: whole numbers in full (65,536), others to 3 significant digits
    (0.0316, 3,690, 1e-5)."""
    whole = value == round(value) and abs(value) < 1e15
    text = f"{round(value):,}" if whole else str(readable(value))
    return text + (f" {unit}" if unit else "")


def _close(given: float, right: float, tolerance: float) -> bool:
    return abs(given - right) <= tolerance * abs(right) if right else abs(given) <= tolerance


def grade(question: Question, given, result) -> Verdict:
    """Grade ``given`` (an option key, a number, an (x, y) point) against ``result``
    (from :func:`truth`)."""
    text = values(question, result)
    explain = fill(question.explain, question.key, **text)
    right_answer = result.answer
    limit = tolerance(question, result)
    right = is_right(question, given, right_answer, limit)
    if question.kind == "choice":
        rights = right_answer if isinstance(right_answer, frozenset) else {right_answer}
        labels = " and ".join(o.label for o in question.options if o.key in rights)
        chosen = next((o for o in question.options if o.key == given), Option(given, given))
        # an option's why rebuts the reasoning that leads to it; when the engine computes the
        # answer, a setting may make that option right, and then only the explanation holds
        reason = chosen.why if not right or question.correct else ""
        why = " ".join(p for p in (fill(reason, question.key, **text), explain) if p)
        return Verdict(right, chosen.label, labels, "", why)
    if question.kind == "number":
        trap = next((t for t in question.traps if not right
                     and _close(given, getattr(result, t.field, question.args.get(t.field)),
                                1e-3)), None)
        why = " ".join(p for p in (fill(trap.why, question.key, **text) if trap else "",
                                   explain) if p)
        return Verdict(right, written(question, given), written(question, right_answer),
                       _number_distance(given, right_answer, question), why)
    distance = math.hypot(given[0] - right_answer[0], given[1] - right_answer[1])
    return Verdict(right, written(question, given), written(question, right_answer),
                   f"{distance:.3g} away", explain)


def tolerance(question: Question, result) -> float:
    """How far off a number (relative) or a point (a distance) may be and still be right:
    the result's own ``tolerance`` for a point when it has one, else the question's."""
    if question.kind == "point":
        return getattr(result, "tolerance", question.tolerance)
    return question.tolerance


def is_right(question: Question, given, right_answer, limit: float) -> bool:
    """Whether ``given`` is right: a choice among the right keys (a key or a frozenset),
    a number within ``limit`` relatively, a point within ``limit``."""
    if question.kind == "choice":
        return given in (right_answer if isinstance(right_answer, (frozenset, set, list))
                         else {right_answer})
    if question.kind == "number":
        return _close(given, right_answer, limit)
    return math.hypot(given[0] - right_answer[0], given[1] - right_answer[1]) <= limit


def notches(question: Question) -> list[float]:
    """The values a log-scale number question's slider offers: 8 per factor of ten from
    ``low`` to ``high``, each to 3 significant digits (1, 1.33, 1.78, 2.37, 3.16, ...)."""
    count = 8 * round(math.log10(question.high / question.low)) + 1
    return [float(f"{v:.3g}") for v in
            np.geomspace(question.low, question.high, count)]


def is_answer(question: Question, given) -> bool:
    """Whether ``given`` is an answer this question can take: one of its options' keys, a
    finite number, a point of two finite numbers (a client may send anything)."""
    def finite(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    if question.kind == "choice":
        return given in {o.key for o in question.options}
    if question.kind == "number":
        return finite(given)
    return isinstance(given, (tuple, list)) and len(given) == 2 and all(map(finite, given))


def written(question: Question, given) -> str:
    """An answer written out: a choice's label, a number (with its unit), a point."""
    if question.kind == "choice":
        return next((o.label for o in question.options if o.key == given), str(given))
    if question.kind == "number":
        return _number_text(given, question.unit)
    return f"({given[0]:.3g}, {given[1]:.3g})"


def _number_distance(given: float, right: float, question: Question) -> str:
    """How far off: a factor on a log scale or when off by 2x or more (0.04 for 4: a factor
    of 100, not 99%), else a percentage."""
    factor = max(given / right, right / given) if given * right > 0 else 0.0
    if factor and (question.scale == "log" or factor >= 2):
        return "spot on" if factor < 1.005 else f"off by a factor of {factor:.3g}"
    if right:
        return f"off by {abs(given - right) / abs(right):.0%}"
    return f"off by {abs(given):.3g}"
