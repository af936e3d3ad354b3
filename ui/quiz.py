"""Ask before showing, check after: a lesson's predictions and its check section, drawn
from the questions in ``explainers/text/<module>.toml`` (see explainers/quiz.py).

Every answer goes through a form and a button, so the keyboard alone answers it (Tab,
arrows, Enter), and every verdict starts with a word ("Right." / "Not quite."), so it
never rests on colour. On a presenter's slides a prediction is two slides, the question
and then its answer (:func:`present`), and so is each check; a teacher of a live class who
is not presenting reveals a prediction by a button once the room has voted and takes the
checks one at a time.
"""
from __future__ import annotations

import hashlib
import json

import streamlit as st

from explainers import quiz
from explainers.lessons import LESSONS
from explainers.quiz import Question, grade, truth
from ui import class_member, live_class, progress
from ui.answers import RIGHT, WRONG, answer_alone, answer_widget, given_answer
from ui.page_tools import presenting


def _slug(question: Question, prefix: str) -> str:
    return f"{prefix}_{question.lesson}_{question.id}"


def verdict_text(verdict, prediction: bool) -> str:
    """The feedback: the verdict in words, the answer given next to the engine's, how far
    off, and why."""
    head = RIGHT if verdict.right else WRONG
    yours = "You predicted" if prediction else "You answered"
    distance = f" ({verdict.distance})" if verdict.distance else ""
    return (f"**{head}** {yours} **{verdict.given}**; the engine says **{verdict.truth}**"
            f"{distance}.\n\n{verdict.why}")


def _verdict_box(verdict, prediction: bool) -> None:
    (st.success if verdict.right else st.warning)(verdict_text(verdict, prediction))


# -- predictions ---------------------------------------------------------------------

def ask(lesson: str, qid: str, **settings):
    """Ask the prediction ``qid`` of ``lesson`` (an explainer module), computed for the
    page's ``settings``. Until the learner commits, returns None (the page shows no
    more); then shows their guess next to the engine's answer and returns the truth."""
    question = quiz.load(lesson).predictions[qid]
    made, guess, made_for = progress.prediction(question.key)
    key = _slug(question, "predict")
    now = _fingerprint(settings)
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(f"**Predict first.** {quiz.prompt(question, **settings)}")
        if live_class.asked_here(question):  # a student: the class's question comes first
            st.info("Your teacher has asked the class this question: answer it at the top "
                    "of the page. The rest of this page waits for the reveal.")
            return None
        if not made:
            _ask_form(question, key, now, settings)
            return None
        result = truth(question, **settings)
        answer = answer_alone(question, result)
        if guess is None:  # revealed to the room, without a guess
            st.info(f"**The engine says {answer.truth}.** {answer.why}")
        elif made_for not in (None, now):  # the settings moved since: no grade
            given = grade(question, _guess(question, guess), result).given
            st.info(f"You predicted **{given}** for other settings. For these, the engine "
                    f"says **{answer.truth}**.\n\n{answer.why}")
        else:
            _verdict_box(grade(question, _guess(question, guess), result), prediction=True)
        if class_member.teaching():  # the class's answers, and asking it (again)
            live_class.results(question, now)
            live_class.ask_the_class(question, quiz.prompt(question, **settings), settings,
                                     now, _revealed_to_room(question, now),
                                     on_ask=lambda: progress.forget(question.key))
        st.button("Predict again", key=f"{key}_again", on_click=progress.forget,
                  args=(question.key,), help="Hide the result and make a new prediction.")
    return result


def present(lesson: str, qid: str, deck, **settings):
    """Presenter mode's prediction, as two slides of ``deck``: the question alone (with
    the room's answers as they come in, in a live class), then its answer, revealed by
    going on to it (to the class too). Returns the truth for ``settings``."""
    question = quiz.load(lesson).predictions[qid]
    now = _fingerprint(settings)
    result = truth(question, **settings)
    key = _slug(question, "predict")
    if deck.slide("Predict first"):
        with st.container(border=True, key=f"{key}_box"):
            st.markdown(f"**Predict first.** {quiz.prompt(question, **settings)}")
            for option in question.options:
                st.markdown(f"- {option.label}")
            if not live_class.ask_the_class(question, quiz.prompt(question, **settings),
                                            settings, now, _revealed_to_room(question, now)):
                st.caption("Ask the room first (a show of hands, or a number each); the "
                           "next slide reveals the answer.")
    if deck.slide("The answer"):
        made, guess, made_for = progress.prediction(question.key)
        if not made or made_for not in (None, now):
            progress.predict(question.key, None, now)
        live_class.reveal(question)
        answer = answer_alone(question, result)
        with st.container(border=True, key=f"{key}_box"):
            st.markdown(f"**Predict first.** {quiz.prompt(question, **settings)}")
            st.info(f"**The engine says {answer.truth}.** {answer.why}")
            live_class.results(question, now)
    return result


def _guess(question: Question, stored):
    return tuple(stored) if question.kind == "point" else stored


def _fingerprint(settings: dict) -> str:
    """A short name for the settings a prediction is asked for."""
    text = json.dumps(settings, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _revealed_to_room(question: Question, settings: str):
    """What revealing a prediction to the room does: record it made, without a guess."""
    return lambda: progress.predict(question.key, None, settings)


def _ask_form(question: Question, key: str, settings: str, values: dict) -> None:
    if presenting() or class_member.teaching():
        for option in question.options:
            st.markdown(f"- {option.label}")
        if live_class.ask_the_class(question, quiz.prompt(question, **values), values,
                                    settings, _revealed_to_room(question, settings)):
            return
        st.caption("Ask the room first (a show of hands, or a number each), then reveal.")
        st.button("Reveal the answer", key=f"{key}_reveal", type="primary",
                  on_click=progress.predict, args=(question.key, None, settings))
        return
    with st.form(key, border=False, enter_to_submit=True):
        answer_widget(question, f"{key}_answer")
        st.form_submit_button("Lock in my prediction", type="primary",
                              on_click=_commit, args=(question, key, settings))
    if st.session_state.get(f"{key}_problem"):
        st.warning(st.session_state[f"{key}_problem"])


def _commit(question: Question, key: str, settings: str) -> None:
    given, problem = given_answer(question, f"{key}_answer")
    st.session_state[f"{key}_problem"] = problem
    if problem is None:
        progress.predict(question.key, list(given) if question.kind == "point" else given,
                         settings)


# -- checks --------------------------------------------------------------------------

def checks(lesson: str, deck=None) -> None:
    """The lesson's check section: every question with feedback; in presenter mode (a
    ``deck`` of slides) two slides a question, the question and its answer; for a teacher
    who is not presenting, one question at a time."""
    questions = quiz.load(lesson).checks
    if deck is not None:
        _slides(questions, deck)
        return
    st.subheader("Check yourself")
    if presenting() or class_member.teaching():
        _one_at_a_time(questions, lesson)
        return
    st.caption("Answer from what the lesson showed; each answer is explained. Your first try "
               "counts, and a question you miss comes back in the review.")
    for number, question in enumerate(questions, 1):
        with st.container(border=True, key=f"check_{question.lesson}_{question.id}_box"):
            ask_check(question, f"{number}.", "check")
    _finished(lesson)


def _finished(module: str) -> None:
    """Once every check is answered: the score, and the way on."""
    position = next(i for i, lesson in enumerate(LESSONS) if lesson.module == module)
    done, right, total = progress.score(LESSONS[position])
    if done < total:
        return
    missed = (" The ones you missed come back on the review page." if right < total else "")
    st.markdown(f"**Lesson finished: {right} of {total} right on the first try.**{missed}")
    later = [lesson for lesson in LESSONS[position + 1:] if lesson.built]
    if later:
        st.page_link(later[0].page, label=f"On to lesson {later[0].number}: {later[0].title}",
                     icon=":material/arrow_forward:")


def ask_check(question: Question, label: str, prefix: str, on_answer=progress.check) -> None:
    """One check: the question, its form, and the verdict once answered; ``on_answer``
    records the result (the first try, or a review)."""
    key = _slug(question, prefix)
    st.markdown(f"**{label}** {quiz.prompt(question)}" if label else quiz.prompt(question))
    if live_class.asked_here(question):
        st.info("Your teacher has asked the class this question: answer it at the top of "
                "the page.")
        return
    with st.form(key, border=False, enter_to_submit=True):
        answer_widget(question, f"{key}_answer")
        st.form_submit_button("Check", on_click=_answer, args=(question, key, on_answer))
    shown = st.session_state.get(f"{key}_verdict")
    if isinstance(shown, str):
        st.warning(shown)
    elif shown is not None:
        _verdict_box(shown, prediction=False)
    elif prefix == "check" and progress.answered(question.key):  # on an earlier visit
        st.caption("You answered this before: " + (
            "right on the first try." if progress.first_try(question.key)
            else "missed on the first try, so it waits for you on the review page."))


def _answer(question: Question, key: str, on_answer) -> None:
    given, problem = given_answer(question, f"{key}_answer")
    if problem:
        st.session_state[f"{key}_verdict"] = problem
        return
    verdict = grade(question, given, truth(question))
    st.session_state[f"{key}_verdict"] = verdict
    on_answer(question.key, verdict.right)


def _slides(questions, deck) -> None:
    for number, question in enumerate(questions, 1):
        title = f"Check {number} of {len(questions)}"
        asked, answered = deck.slide(title), deck.slide(f"{title}: the answer")
        if asked or answered:
            with st.container(border=True, key=f"check_{question.lesson}_{question.id}_box"):
                st.markdown(f"**{quiz.prompt(question)}**")
                for option in question.options:
                    st.markdown(f"- {option.label}")
                if asked:
                    live_class.ask_the_class(question, quiz.prompt(question), {}, "",
                                             lambda: None)
                else:
                    live_class.reveal(question)
                    result = truth(question)
                    verdict = answer_alone(question, result)
                    st.info(f"**Answer: {verdict.truth}.** {verdict.why}")
                    live_class.results(question)


def _one_at_a_time(questions, lesson: str) -> None:
    at = f"present_check_{lesson}"
    i = min(st.session_state.get(at, 0), len(questions) - 1)
    question = questions[i]
    with st.container(border=True):
        st.markdown(f"**Question {i + 1} of {len(questions)}.** {quiz.prompt(question)}")
        for option in question.options:
            st.markdown(f"- {option.label}")
        shown = f"{at}_shown_{i}"
        if st.session_state.get(shown):
            result = truth(question)
            verdict = answer_alone(question, result)
            st.info(f"**Answer: {verdict.truth}.** {verdict.why}")
            live_class.results(question)
        asked = live_class.ask_the_class(
            question, quiz.prompt(question), {}, "",
            lambda: st.session_state.__setitem__(shown, True),
            on_ask=lambda: st.session_state.pop(shown, None))
        back, reveal, ahead = st.columns(3)
        back.button("Previous question", key=f"{at}_back", disabled=i == 0, width="stretch",
                    on_click=st.session_state.__setitem__, args=(at, i - 1))
        if not asked and not st.session_state.get(shown):  # else the class's buttons reveal
            reveal.button("Reveal the answer", key=f"{at}_reveal", type="primary",
                          width="stretch", on_click=st.session_state.__setitem__,
                          args=(shown, True))
        ahead.button("Next question", key=f"{at}_next", disabled=i == len(questions) - 1,
                     width="stretch", on_click=st.session_state.__setitem__, args=(at, i + 1))
