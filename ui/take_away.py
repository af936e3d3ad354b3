"""Code to take away: the settings on screen as a program for PyTorch, optax and Keras, one
tab each, copyable (st.code has a copy button). The programs come from
explainers/code_export.py, whose checked cases a committed script ran in each framework."""
import streamlit as st

from explainers.code_export import FRAMEWORKS, Problem, Setting, framework_name, snippet


def take_away(problem: Problem, setting: Setting, note: str = "") -> None:
    """An expander with one tab per framework; ``note`` says what the program leaves out."""
    with st.expander("Take the code: PyTorch, optax, Keras"):
        if note:
            st.caption(note)
        for tab, framework in zip(st.tabs([framework_name(f) for f in FRAMEWORKS]),
                                  FRAMEWORKS):
            tab.code(snippet(framework, problem, setting), language="python")
