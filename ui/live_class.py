"""The live class on screen: the teacher's bar (how to join, how many joined), the
question the teacher pushes and its answers as they come in, and each student's panel.

Peer instruction (Crouch & Mazur, Am. J. Phys. 69, 970 (2001)): the teacher asks one of
the lesson's questions, everyone commits to an answer on their own device, the projector
shows the spread, the room discusses, a second round is asked, and only then is the
answer revealed and the demo played. Students see a pushed question within about two
seconds, and the projector their answers within about one (the panels rerun on their
own, ``st.fragment(run_every=...)``, without rerunning the page).
"""
from __future__ import annotations

import io
from functools import lru_cache

import segno
import streamlit as st

from classroom.classes import OPEN, REVEALED, StoreError, spaced
from explainers import class_poll, quiz
from explainers.quiz import Question, grade, is_answer, is_right, truth, written
from ui import class_member as cm
from ui.answers import RIGHT, WRONG, answer_widget, given_answer, stand_in
from ui.page_tools import chart
from ui.url_sync import REPORTED

STUDENT_EVERY = 2.0  # seconds between a student's looks for a new question
PROJECTOR_EVERY = 1.0  # seconds between the projector's looks for new answers
SHOW_JOIN = "_class_show_join"  # the dialog with the QR code is open
NOTICE = "_class_notice"  # what the reader was told about a class link
RERUN_PAGE = "_class_rerun_page"  # a button in a panel changed what the whole page shows


@lru_cache(maxsize=16)
def qr_png(link: str, scale: int) -> bytes:
    """The link as a QR code (a PNG, drawn here: no outside service sees the link)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


# -- the frame: the teacher's bar, a student's panel -------------------------------

def show(presenting: bool) -> None:
    """The live class's part of the frame, above the page: call once per run."""
    problem = cm.attend(presenting)
    if problem:
        st.session_state[NOTICE] = problem
    elif st.session_state.get(REPORTED):  # the browser's report: the reader has not acted
        problem = st.session_state.get(NOTICE)
    else:
        st.session_state.pop(NOTICE, None)
    if problem:
        st.warning(problem)
    found = cm.member()
    if found is not None and found.teacher:
        st.fragment(_teacher_bar, run_every=STUDENT_EVERY)()
        if st.session_state.get(SHOW_JOIN):
            _join_dialog()
    elif found is not None:
        st.fragment(_student_panel, run_every=STUDENT_EVERY)()
    elif cm.joining():
        st.info("Joining the class…")
    _sidebar(presenting, found)


def _sidebar(presenting: bool, found) -> None:
    with st.sidebar:
        if found is not None and found.teacher:
            with st.expander("Teach from another device"):
                st.caption("This link controls your class: keep it off the projector.")
                st.code(cm.teacher_link(found), language=None, wrap_lines=True)
            st.button("End the live class", key="class_end", on_click=cm.leave,
                      width="stretch")
        elif found is not None:
            st.button("Leave the live class", key="class_leave", on_click=cm.leave,
                      width="stretch")
        elif presenting:
            _start_button()
        else:
            with st.expander("Live class"):
                with st.form("class_join", border=False, enter_to_submit=True):
                    st.text_input("Join with the code your teacher shows", key="class_code",
                                  placeholder="ABCD-2345")
                    st.form_submit_button("Join", on_click=_typed_code)
                st.caption("Teaching? Start a class and your students answer your "
                           "questions on their own devices, the projector showing how.")
                _start_button()
        if st.session_state.get(cm.PROBLEM):
            st.error(f"That did not work: {st.session_state[cm.PROBLEM]}")


def _start_button() -> None:
    st.button("Start a live class", key="class_start", on_click=cm.start, type="primary",
              width="stretch", help="Turns on presenter mode and shows the room how to join.")


def _typed_code() -> None:
    st.query_params[cm.JOIN] = st.session_state.get("class_code", "")


def _teacher_bar() -> None:
    found = cm.teaching()
    if found is None:
        return
    try:
        live = cm.classes().find(found.code)
    except StoreError as err:
        cm.store_problem(err)
        return
    if live is None:
        st.warning("This live class has ended.")
        return
    link = cm.join_url(found.code)
    with st.container(border=True, key="class_bar"):
        qr, text, button = st.columns([1, 7, 2], vertical_alignment="center")
        qr.image(qr_png(link, 4), width=96, alt="QR code of the join link")
        text.markdown(f"**Live class.** Join at **{link}** or with the code "
                      f"**{spaced(found.code)}** · **{live.joined}** joined")
        button.button("Show the QR code", key="class_show_qr", width="stretch",
                      on_click=st.session_state.update, args=({SHOW_JOIN: True},))


def _hide_join() -> None:
    st.session_state[SHOW_JOIN] = False


@st.dialog("Join the live class", width="large", on_dismiss=_hide_join)
def _join_dialog() -> None:
    """How to join, large: open until the teacher closes it (a run started by the
    browser's reports does not close it)."""
    found = cm.teaching()
    if found is None:
        return
    link = cm.join_url(found.code)
    st.image(qr_png(link, 10), width=360, alt="QR code of the join link")
    st.markdown(f"### Scan, or open **{link}**")
    st.markdown(f"### or type the code **{spaced(found.code)}** under *Live class* in the "
                "sidebar")
    st.button("Close", key="class_hide_qr", on_click=_hide_join)


def _student_panel() -> None:
    found, device = cm.member(), cm.device()
    if found is None or device is None:
        return
    try:
        live = cm.classes().find(found.code)
        poll = live.poll if live else None
        mine = cm.classes().answer_of(found.code, device, poll.round_key()) if poll else None
    except StoreError as err:
        cm.store_problem(err)
        return
    with st.container(border=True, key="class_student"):
        if live is None:
            st.markdown(f"**The live class {spaced(found.code)} has ended.** Thank you!")
            return
        if poll is None:
            st.markdown(f"**Live class {spaced(found.code)}.** Waiting for your teacher's "
                        "first question…")
            return
        try:
            question = quiz.find(poll.question)
        except (KeyError, ValueError, StopIteration):
            st.markdown("**Your teacher asked a question this page does not know.** Reload "
                        "the page.")
            return
        round_text = f" (round {poll.round})" if poll.round > 1 else ""
        st.markdown(f"**Question from your teacher{round_text}.** {poll.prompt}")
        st.caption("The demo it is about is on the projector.")
        if poll.status == REVEALED:
            _revealed(question, poll.reveal or {}, mine)
        elif poll.status == OPEN:
            _answer_form(question, found.code, device, poll.round_key(), mine)
        elif mine is None:
            st.info("Answers are closed. You did not answer this round.")
        else:
            st.info(f"Answers are closed. Your answer: **{_written(question, mine)}**.")


def _as_given(question: Question, value):
    """An answer as the store keeps it (JSON: a point is a list) as grading takes it."""
    return tuple(value) if question.kind == "point" and isinstance(value, list) else value


def _written(question: Question, stored) -> str:
    return written(question, _as_given(question, stored))


def _is_right(question: Question, stored, reveal: dict) -> bool:
    """Whether a stored answer is right by what the teacher's reveal recorded."""
    return is_right(question, _as_given(question, stored),
                    _as_given(question, reveal.get("answer")),
                    float(reveal.get("limit", question.tolerance)))


def _answer_form(question: Question, code: str, device: str, round_key: str, mine) -> None:
    key = f"class_{round_key.replace('.', '_')}"
    with st.form(key, border=False, enter_to_submit=True):
        answer_widget(question, f"{key}_answer")
        st.form_submit_button("Change my answer" if mine is not None else "Send my answer",
                              type="primary", on_click=_send,
                              args=(question, key, code, device, round_key))
    said = st.session_state.get(f"{key}_problem")
    if said:
        st.warning(said)
    elif mine is not None:
        st.success(f"Sent: **{_written(question, mine)}**. You can change it until your "
                   "teacher closes the question.")


def _send(question: Question, key: str, code: str, device: str, round_key: str) -> None:
    given, problem = given_answer(question, f"{key}_answer")
    if problem is None and not is_answer(question, given):
        problem = "That is not an answer to this question."
    if problem is None:
        try:
            if not cm.classes().answer(code, device, round_key, _stored(given)):
                problem = "Too late: your teacher has closed this question."
        except StoreError as err:
            problem = f"Your answer could not be sent ({err}); try again."
    st.session_state[f"{key}_problem"] = problem


def _stored(given):
    return list(given) if isinstance(given, tuple) else given


def _revealed(question: Question, reveal: dict, mine) -> None:
    right_text = f"**The answer: {reveal.get('truth', '?')}.** {reveal.get('why', '')}"
    if mine is None:
        st.info(right_text)
        return
    right = _is_right(question, mine, reveal)
    (st.success if right else st.warning)(
        f"**{RIGHT if right else WRONG}** You answered **{_written(question, mine)}**. "
        f"{right_text}")


# -- the teacher's question ---------------------------------------------------------

def ask_the_class(question: Question, prompt: str, settings: dict, fingerprint: str,
                  on_reveal) -> bool:
    """In a lesson's question box on the projector: push the question to the class, then
    its answers as they come in, round by round, with the buttons that close a round,
    open the next and reveal the answer (``on_reveal()`` then shows it on the page).
    Returns whether the class has this question, so the box leaves the revealing here."""
    asked = _asked(question)
    if asked is None:
        return False
    found, live, poll, _ = asked
    if poll is None or poll.status == REVEALED:
        if live is not None:
            st.button("Ask the class", key=f"class_ask_{question.lesson}_{question.id}",
                      type="primary", on_click=_push,
                      args=(found, question, prompt, fingerprint),
                      help="Every student who joined sees this question on their device.")
        return False
    st.fragment(_answers_panel, run_every=PROJECTOR_EVERY if poll.status == OPEN else None)(
        question, settings, fingerprint, on_reveal)
    return True


def _push(found, question: Question, prompt: str, fingerprint: str) -> None:
    st.session_state[cm.PROBLEM] = None
    try:
        cm.classes().ask(found.code, found.secret, question.key, prompt, fingerprint)
    except (StoreError, PermissionError) as err:
        st.session_state[cm.PROBLEM] = str(err)


def _rounds(code: str, poll) -> list[list]:
    """The answers of the poll's last two rounds (side by side on the projector)."""
    first = max(1, poll.round - 1)
    return [cm.classes().answers(code, poll.round_key(r)) for r in range(first, poll.round + 1)]


def _asked(question: Question):
    """``(member, class, poll, rounds)`` for the class this session teaches: the poll and
    its last rounds' answers if the class has this question, else None and []. None if
    the session teaches no class or the store failed (the page then says so)."""
    found = cm.teaching()
    if found is None:
        return None
    try:
        live = cm.classes().find(found.code)
        poll = live.poll if live else None
        if poll is None or poll.question != question.key:
            return found, live, None, []
        return found, live, poll, _rounds(found.code, poll)
    except StoreError as err:
        cm.store_problem(err)
        return None


def _answers_panel(question: Question, settings: dict, fingerprint: str, on_reveal) -> None:
    if st.session_state.pop(RERUN_PAGE, False):
        st.rerun()  # a button below changed the round: the whole page follows
    asked = _asked(question)
    if asked is None:
        return
    found, live, poll, rounds = asked
    if poll is None:
        st.rerun()  # asked or ended elsewhere (another tab): draw the page afresh
    latest = len(rounds[-1])
    state = "taking answers" if poll.status == OPEN else "closed"
    said = class_poll.summary(question, rounds[-1])
    st.markdown(f"**Round {poll.round}, {state}: {latest} of {live.joined} joined answered.**"
                + (f" {said}." if said else ""))
    if poll.settings and poll.settings != fingerprint:
        st.caption("You moved a setting after asking: the class answered for the earlier "
                   "settings, and the answer is revealed for these.")
    chart(class_poll.figure(question, rounds), key=f"class_answers_{question.id}")
    close, again, reveal = st.columns(3)
    close.button("Close answers", key="class_close", disabled=poll.status != OPEN,
                 width="stretch", on_click=_act, args=(cm.classes().close, found))
    again.button(f"Ask again (round {poll.round + 1})", key="class_again", width="stretch",
                 help="After the discussion: everyone answers once more.",
                 on_click=_act, args=(cm.classes().again, found))
    reveal.button("Reveal the answer", key="class_reveal", type="primary", width="stretch",
                  on_click=_act, args=(cm.classes().reveal, found, question, settings,
                                       on_reveal))


def _act(action, found, question=None, settings=None, on_reveal=None) -> None:
    """A button of the answers panel: close the round, open the next, or reveal (then
    ``on_reveal()`` shows the answer on the page); the page is drawn afresh."""
    st.session_state[cm.PROBLEM] = None
    try:
        if question is None:
            action(found.code, found.secret)
        else:
            action(found.code, found.secret, revealed(question, settings))
            on_reveal()
    except (StoreError, PermissionError, ValueError) as err:
        st.session_state[cm.PROBLEM] = str(err)
    st.session_state[RERUN_PAGE] = True


def revealed(question: Question, settings: dict) -> dict:
    """What a student's device shows once the answer is revealed: the right answer (as
    the store keeps answers), how near counts as right, and it written out with why."""
    result = truth(question, **settings)
    verdict = grade(question, stand_in(question, result.answer), result)
    answer = result.answer
    if isinstance(answer, frozenset):
        answer = sorted(answer)
    elif isinstance(answer, tuple):
        answer = [float(v) for v in answer]
    elif isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = float(answer)
    return {"answer": answer, "limit": quiz.tolerance(question, result),
            "truth": verdict.truth, "why": verdict.why}


def results(question: Question) -> None:
    """Under a revealed question on the projector: the class's answers, the right one
    marked (nothing if the class was not asked this question)."""
    asked = _asked(question)
    if asked is None or asked[2] is None or asked[2].status != REVEALED:
        return
    _, _, poll, rounds = asked
    reveal = poll.reveal or {}
    right = sum(_is_right(question, answer, reveal) for answer in rounds[-1])
    st.markdown(f"**The class, round {poll.round}: {right} of {len(rounds[-1])} right.**")
    chart(class_poll.figure(question, rounds, _as_given(question, reveal.get("answer")),
                            float(reveal.get("limit", 0.0))),
          key=f"class_results_{question.id}")
