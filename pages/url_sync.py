"""Keep a page's controls and the URL in step (st.session_state + st.query_params).

A value comes from, in order: the widget's own state (while the page is on screen),
the link (``st.query_params``), the value this session last had on this page (so
switching pages in the sidebar, which drops the query string, loses nothing), and
the control's default.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

SAVED = "_saved_"  # prefix of the session-state copies that outlive a page switch


def restore(specs) -> list[str]:
    """Seed each control's state the first time the page runs (after a page switch too).

    Returns one sentence per URL value that was garbage or out of range (the
    control then starts at its default).
    """
    problems = []
    for spec in specs:
        if spec.key in st.session_state:
            continue
        text = st.query_params.get(spec.key)
        if text is None and SAVED + spec.key in st.session_state:
            st.session_state[spec.key] = st.session_state[SAVED + spec.key]
            continue
        value, problem = spec.parse(text)
        st.session_state[spec.key] = value
        if problem:
            problems.append(problem)
    return problems


def show_problems(problems: list[str]) -> None:
    """Say, once, which values in the link could not be used."""
    if problems:
        st.warning("Some settings in the link could not be used:\n\n- " + "\n- ".join(problems))


def remember(specs) -> None:
    """Write every control that differs from its default into the URL (dropping the rest)
    and keep the values for this session."""
    for spec in specs:
        value = st.session_state.get(spec.key, spec.default)
        st.session_state[SAVED + spec.key] = value
        if value == spec.default:
            if spec.key in st.query_params:
                del st.query_params[spec.key]
        elif st.query_params.get(spec.key) != spec.format(value):
            st.query_params[spec.key] = spec.format(value)


def publish(specs) -> None:
    """:func:`remember` the page's controls and offer the link in the sidebar."""
    remember(specs)
    query = urlencode({k: st.query_params[k] for k in st.query_params})
    with st.sidebar.expander("Copy a link to this demo"):
        st.code(str(st.context.url) + (f"?{query}" if query else ""), language=None,
                wrap_lines=True)
        st.caption("The link reopens this page with every setting as it is now.")


def set_values(values: dict) -> None:
    """Set controls' state, e.g. from a reset button's callback."""
    for key, value in values.items():
        st.session_state[key] = value


def reset_button(specs, label: str = "Reset to the paper's defaults") -> None:
    """A sidebar button that puts every control of the page back to its default."""
    st.sidebar.button(label, key="reset", width="stretch",
                      on_click=set_values, args=({spec.key: spec.default for spec in specs},))
