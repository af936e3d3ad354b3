"""Controls that live in the URL: parse what a link says, format what to write back,
and say how the control is drawn (``ui.controls.control`` draws it from the spec).

A spec knows its control's default and what values are allowed.  ``parse`` never
raises: text that is garbage or out of range gives the default and a sentence
saying what was wrong, so a mangled link still opens the page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .safe_text import code_span


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    default: Any
    help: str = ""  # the widget's tooltip

    def parse(self, text: str | None, origin: str = "the link says") -> tuple[Any, str | None]:
        """``(value, problem)``: the value from the URL text, or the default and why
        (``origin`` says where the text came from: the link, or another page)."""
        if text is None:
            return self.default, None
        try:
            return self._parse(str(text)), None
        except ValueError as err:
            return self.default, (f"{self.label}: {origin} {code_span(str(text)[:40])}, but "
                                  f"{err}; using {self.format(self.default)} here.")

    def _parse(self, text: str) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def format(self, value: Any) -> str:
        return str(value)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("that is not a number") from None
    if not math.isfinite(value):
        raise ValueError("it must be a finite number")
    return value


@dataclass(frozen=True)
class Number(Spec):
    """A number in [low, high], optionally a whole number."""

    low: float = -math.inf
    high: float = math.inf
    integer: bool = False
    step: float | None = None  # drawn as a slider with this step; else as a number box

    def _parse(self, text):
        value = _number(text)
        if self.integer:
            if value != int(value):
                raise ValueError("it must be a whole number")
            value = int(value)
        if not self.low <= value <= self.high:
            raise ValueError(f"it must be between {self.format(self.low)} and "
                             f"{self.format(self.high)}")
        return value

    def format(self, value):
        return str(int(value)) if self.integer else f"{value:.10g}"


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed list of options (numbers are matched to 9 significant digits)."""

    options: Sequence[Any] = ()
    names: Mapping[Any, str] | None = None  # how each option is shown (default: the value)
    widget: str = "auto"  # "auto" (a slider over numbers, else a select box), "slider", "radio"

    def show(self, option) -> str:
        """An option as the reader sees it."""
        if self.names is not None:
            return self.names.get(option, str(option))
        return f"{option:g}" if isinstance(option, float) else str(option)

    def _parse(self, text):
        for option in self.options:
            if self.format(option) == text:
                return option
        if all(isinstance(o, (int, float)) and not isinstance(o, bool) for o in self.options):
            value = _number(text)
            for option in self.options:
                if math.isclose(option, value, rel_tol=1e-9):
                    return option
        shown = ", ".join(self.format(o) for o in self.options[:12])
        raise ValueError(f"it must be one of {shown}")

    def format(self, value):
        return f"{value:.10g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Choices(Spec):
    """Several of a fixed list of options, comma-separated in the URL, at least one."""

    options: Sequence[str] = ()
    names: Mapping[str, str] | None = None

    def show(self, option) -> str:
        return self.names.get(option, option) if self.names is not None else option

    def _parse(self, text):
        picked = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [p for p in picked if p not in self.options]
        if unknown or not picked:
            raise ValueError(f"each must be one of {', '.join(self.options)}")
        return [o for o in self.options if o in picked]

    def format(self, value):
        return ",".join(value)


@dataclass(frozen=True)
class Flag(Spec):
    """On or off: 1/0, true/false, on/off, yes/no."""

    def _parse(self, text):
        lowered = text.lower()
        if lowered in ("1", "true", "on", "yes"):
            return True
        if lowered in ("0", "false", "off", "no"):
            return False
        raise ValueError("it must be 1 or 0")

    def format(self, value):
        return "1" if value else "0"


def log_options(low_exp: int, high_exp: int, mantissas=(1, 2, 5)) -> tuple[float, ...]:
    """1, 2, 5 per decade from 10**low_exp to 10**high_exp: options for a log slider."""
    values = [m * 10.0 ** e for e in range(low_exp, high_exp) for m in mantissas]
    return tuple(float(f"{v:.10g}") for v in values) + (float(10.0 ** high_exp),)


@dataclass(frozen=True)
class Rows(Spec):
    """A table of numbers: rows separated by ';', values by ','. Each row has
    ``width`` finite values of size at most ``limit``; at most ``max_rows`` rows."""

    width: int = 3
    max_rows: int = 100
    limit: float = 1e6

    def _parse(self, text):
        rows = [row for row in text.split(";") if row.strip()]
        if not rows or len(rows) > self.max_rows:
            raise ValueError(f"it must have 1 to {self.max_rows} rows")
        out = []
        for row in rows:
            values = [_number(v) for v in row.split(",")]
            if len(values) != self.width:
                raise ValueError(f"each row must have {self.width} numbers")
            if any(abs(v) > self.limit for v in values):
                raise ValueError(f"each number must be between -{self.limit:g} and {self.limit:g}")
            out.append(tuple(values))
        return tuple(out)

    def format(self, value):
        return ";".join(",".join(f"{v:.10g}" for v in row) for row in value)


@dataclass(frozen=True)
class Text(Spec):
    """Free text up to ``max_length`` characters (checked further by whoever uses it)."""

    max_length: int = 200

    def _parse(self, text):
        if len(text) > self.max_length:
            raise ValueError(f"it must be at most {self.max_length} characters")
        return text
