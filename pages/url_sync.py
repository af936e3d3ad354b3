"""Keep a page's controls and the URL in step (st.session_state + st.query_params)."""
from __future__ import annotations

import streamlit as st


def restore(specs) -> list[str]:
    """Seed each control's state from the URL the first time the page runs in a session.

    Returns one sentence per URL value that was garbage or out of range (the
    control then starts at its default).
    """
    problems = []
    for spec in specs:
        if spec.key not in st.session_state:
            value, problem = spec.parse(st.query_params.get(spec.key))
            st.session_state[spec.key] = value
            if problem:
                problems.append(problem)
    return problems


def show_problems(problems: list[str]) -> None:
    """Say, once, which values in the link could not be used."""
    if problems:
        st.warning("Some settings in the link could not be used:\n\n- " + "\n- ".join(problems))


def publish(specs) -> None:
    """Write every control that differs from its default into the URL; drop the rest."""
    for spec in specs:
        value = st.session_state.get(spec.key, spec.default)
        if value == spec.default:
            if spec.key in st.query_params:
                del st.query_params[spec.key]
        elif st.query_params.get(spec.key) != spec.format(value):
            st.query_params[spec.key] = spec.format(value)


def set_values(values: dict) -> None:
    """Set controls' state, e.g. from a reset button's callback."""
    for key, value in values.items():
        st.session_state[key] = value
