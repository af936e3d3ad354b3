"""An answer to one of a lesson's questions, as a learner gives it: the widget for its kind
(a choice, a number, a point), the value read back from it, and the words a verdict
starts with (never colour alone). Shared by the lessons' questions (ui/quiz.py) and the
live class (ui/live_class.py)."""
from __future__ import annotations

import streamlit as st

from explainers.quiz import Question, grade, notches, parse_number

RIGHT, WRONG = "Right.", "Not quite."
TYPE_A_NUMBER = ("That is not a number I can read: type it like 0.04, 4e-2, 4 × 10^-2 or "
                 "1/25.")


def answer_widget(question: Question, key: str) -> None:
    """The answer's widget, keyed ``key`` (a choice, a number, or x and y)."""
    if question.kind == "choice":
        labels = {o.key: o.label for o in question.options}
        st.radio("Your answer", list(labels), format_func=labels.get, index=None, key=key,
                 label_visibility="collapsed")
    elif question.kind == "number" and question.scale == "log":
        stops = notches(question)
        unit = f" {question.unit}" if question.unit else ""
        st.select_slider(f"Drag to your answer, from {stops[0]:g}{unit} to {stops[-1]:g}{unit} "
                         "(each notch multiplies by the same factor)", stops,
                         value=stops[len(stops) // 2], key=key,
                         format_func=lambda v: f"{float(v):g}{unit}")
    elif question.kind == "number":
        st.text_input("Your answer" + (f" (in {question.unit})" if question.unit else ""),
                      key=key, placeholder="a number, e.g. 0.5 or 1e-3")
    else:
        x, y = st.columns(2)
        x.number_input("x", value=None, key=f"{key}_x", format="%.3f")
        y.number_input("y", value=None, key=f"{key}_y", format="%.3f")


def given_answer(question: Question, key: str):
    """The learner's answer from its widget, or a sentence saying what is missing."""
    state = st.session_state
    if question.kind == "choice":
        value = state.get(key)
        return (value, None) if value is not None else (None, "Pick an answer first.")
    if question.kind == "number":
        raw = state.get(key)
        value = raw if isinstance(raw, float) else parse_number(raw or "")
        return (value, None) if value is not None else (None, TYPE_A_NUMBER)
    x, y = state.get(f"{key}_x"), state.get(f"{key}_y")
    return ((x, y), None) if x is not None and y is not None else (None, "Give both x and y.")


def stand_in(question: Question, answer):
    """A stand-in guess equal to the answer (to write out the answer alone)."""
    if question.kind == "choice" and isinstance(answer, frozenset):
        return next(iter(answer))
    return answer


def answer_alone(question: Question, result):
    """The engine's answer written out with its why, without a guess to grade: the
    verdict on a stand-in guess equal to the answer."""
    return grade(question, stand_in(question, result.answer), result)


def seed_answer(question: Question, key: str, value) -> None:
    """Show ``value`` (an answer already given) in the answer's widget keyed ``key``,
    unless the widget holds a value of its own."""
    state = st.session_state
    if question.kind == "point":
        if f"{key}_x" not in state and f"{key}_y" not in state:
            state[f"{key}_x"], state[f"{key}_y"] = float(value[0]), float(value[1])
    elif key not in state:
        if question.kind == "number" and question.scale == "log":
            if value in notches(question):
                state[key] = value
        elif question.kind == "number":
            state[key] = f"{value:g}"
        else:
            state[key] = value
