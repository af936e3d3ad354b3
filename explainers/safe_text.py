"""Text from outside (a link, a formula) shown inside Markdown as the characters it is.

Streamlit renders notices and captions as Markdown (with GitHub's automatic links, LaTeX
between dollar signs and its own ``:color[...]`` directives), so a quoted value such as
``[Quiz answers](https://...)``, a bare address or a line starting ``#`` would otherwise
become a link or a heading in the app's own voice.
"""
from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_TICKS = re.compile("`+")


def _one_line(text) -> str:
    """Line breaks and other control characters as one space each run."""
    return _CONTROL.sub(" ", str(text))


def markdown_literal(text) -> str:
    """``text`` escaped for Markdown: every ASCII punctuation mark backslash-escaped
    (CommonMark shows ``\\x`` as ``x``) and all on one line. For our own sentences that
    may quote a name; a value that may hold an address goes in :func:`code_span`."""
    return _PUNCTUATION.sub(r"\\\1", _one_line(text))


def code_span(text) -> str:
    """``text`` as a Markdown code span: shown verbatim in code type, with no link,
    emphasis, HTML or formula inside. The fence is one backtick longer than the longest
    run of backticks in the text (CommonMark closes a span only at a run of equal
    length), with spaces inside so a backtick at either end cannot join the fence."""
    text = _one_line(text)
    fence = "`" * (1 + max((len(run) for run in _TICKS.findall(text)), default=0))
    return f"{fence} {text} {fence}"
