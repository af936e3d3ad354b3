"""Text from outside stays plain characters inside Markdown."""
from hypothesis import given
from hypothesis import strategies as st

from explainers.safe_text import code_span, markdown_literal
from explainers.url_state import Choice


def test_code_span_outlasts_any_backticks_and_keeps_one_line():
    span = code_span("x ``` [a](https://e.org)\n# heading")
    assert span.startswith("```` ") and span.endswith(" ````") and "\n" not in span
    assert code_span("`") == "`` ` ``"


@given(st.text(max_size=60))
def test_a_code_span_is_closed_only_by_its_own_fence(text):
    span = code_span(text)
    fence = span[:span.index(" ")]
    inner = span[len(fence):-len(fence)]
    assert fence not in inner.replace("`" * (len(fence) + 1), "")  # no run of equal length
    assert "\n" not in span and "\r" not in span


def test_markdown_literal_escapes_every_mark():
    text = markdown_literal("**bold** [a](b) $x$ <b>\n# h")
    assert text == "\\*\\*bold\\*\\* \\[a\\]\\(b\\) \\$x\\$ \\<b\\> \\# h"


def test_a_bad_value_in_a_link_is_quoted_as_code():
    spec = Choice("beta2", "β₂", 0.999, options=(0.99, 0.999))
    value, problem = spec.parse("[Quiz](https://example.org)")
    assert value == 0.999
    assert "` [Quiz](https://example.org) `" in problem
