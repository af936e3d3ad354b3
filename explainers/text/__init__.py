"""Lesson prose lives in Markdown files beside this module, one per lesson (with $...$
math), named like the lesson's explainer module. A file is cut into sections by lines
``<!-- section: NAME -->``; a section may hold named placeholders ``{{name}}`` that the
lesson fills with numbers its explainer computed, so no result is typed into prose."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).parent
_SECTION = re.compile(r"^<!-- section: (\w+) -->[ \t]*$", re.M)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=64)
def sections(lesson: str) -> dict[str, str]:
    """Every section of ``<lesson>.md``, by name."""
    parts = _SECTION.split((_HERE / f"{lesson}.md").read_text(encoding="utf-8"))
    return {name: body.strip("\n") for name, body in zip(parts[1::2], parts[2::2])}


def fill(text: str, where: str = "text", **values) -> str:
    """``text`` with its ``{{name}}`` placeholders filled from ``values`` (each one must
    be given: a placeholder left empty is an error naming ``where``, not a gap on screen)."""
    missing = set(_PLACEHOLDER.findall(text)) - set(values)
    if missing:
        raise KeyError(f"{where} needs {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def readable(value):
    """A number written for reading in a sentence (1,000; 0.0123; a vector as
    (0.1, -0.5, 0.3)); anything else as is."""
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(str(readable(v)) for v in value) + ")"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    rounded = float(f"{value:.3g}")
    if 1e3 <= abs(rounded) < 1e6:
        return f"{rounded:,.0f}"  # 3,690, not 3.69e+03
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{value:,.3g}").replace("e+", "e")  # 1e-5


def lesson_text(lesson: str, section: str, **values) -> str:
    """One section's Markdown with its placeholders filled from ``values``."""
    return fill(sections(lesson)[section], f"{lesson}/{section}", **values)
