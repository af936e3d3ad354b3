"""Lesson prose lives in Markdown files beside this module (with $...$ math)."""
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).parent


@lru_cache(maxsize=64)
def lesson_text(name: str) -> str:
    """The Markdown of ``<name>.md`` in this folder."""
    return (_HERE / f"{name}.md").read_text(encoding="utf-8")
