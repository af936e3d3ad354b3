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


def lesson_text(lesson: str, section: str, **values) -> str:
    """One section's Markdown with its placeholders filled from ``values`` (each one
    must be given: a placeholder left empty is an error, not a gap on screen)."""
    text = sections(lesson)[section]
    missing = set(_PLACEHOLDER.findall(text)) - set(values)
    if missing:
        raise KeyError(f"{lesson}/{section} needs {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)
