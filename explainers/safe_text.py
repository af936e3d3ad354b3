"""Text from outside (a link, a formula) shown inside Markdown as the characters it is.

Streamlit renders notices and captions as Markdown (with LaTeX between dollar signs and
its own ``:color[...]`` and ``:icon:`` directives), so a quoted value such as
``[Quiz answers](https://...)`` or a line starting ``#`` would otherwise become a link
or a heading in the app's own voice.
"""
from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def markdown_literal(text: str) -> str:
    """``text`` escaped for Markdown: every ASCII punctuation mark backslash-escaped
    (CommonMark shows ``\\x`` as ``x``), line breaks and other control characters
    turned into one space, so it stays one line of plain characters."""
    return _PUNCTUATION.sub(r"\\\1", _CONTROL.sub(" ", str(text)))
