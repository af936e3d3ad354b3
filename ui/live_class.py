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
from explainers.quiz import Question, is_answer, is_right, truth, written
from ui import class_member as cm
from ui.answers import RIGHT, WRONG, answer_alone, answer_widget, given_answer, seed_answer
from ui.page_tools import chart
from ui.url_sync import REPORTED

STUDENT_EVERY = 2.0  # seconds between a student's looks for a new question
PROJECTOR_EVERY = 1.0  # seconds between the projector's looks for new answers
NOTICE = "_class_notice"  # what the reader was told about a class link
HIDE = "class_hide"  # the teacher hides the answers while a round is open


@lru_cache(maxsize=16)
def qr_png(link: str, scale: int) -> bytes:
    """The link as a QR code (a PNG, drawn here: no outside service sees the link)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


# -- the frame: the teacher's bar, a student's panel -------------------------------

def show(presenting: bool) -> None:
    """The live class's part of the frame, above the page: call once per run."""
    problem = cm.attend()
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
        if st.session_state.get(cm.SHOW_JOIN):
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
            said = st.session_state.get(NOTICE)
            with st.expander("Live class", expanded=bool(said)):
                with st.form("class_join", border=False, enter_to_submit=True):
                    st.text_input("Join with the code your teacher shows", key="class_code",
                                  placeholder="ABCD-2345")
                    st.form_submit_button("Join", on_click=_typed_code)
                if said:  # beside the field too: the top of the page may be out of sight
                    st.warning(said)
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
        text.markdown(f"**Live class.** Join at `{link}` or with the code "
                      f"**{_unbroken(found.code)}** · **{live.joined}** joined")
        button.button("Show the QR code", key="class_show_qr", width="stretch",
                      on_click=st.session_state.update, args=({cm.SHOW_JOIN: True},))


def _unbroken(code: str) -> str:
    """A code as read aloud (ABCD-2345), with a hyphen that never breaks the line."""
    return spaced(code).replace("-", "\u2011")


def _joined() -> None:
    found = cm.teaching()
    try:
        live = cm.classes().find(found.code) if found else None
    except StoreError:
        return
    if live is not None:
        st.markdown(f"### {live.joined} joined")


def _hide_join() -> None:
    st.session_state[cm.SHOW_JOIN] = False


@st.dialog("Join the live class", width="large", on_dismiss=_hide_join)
def _join_dialog() -> None:
    """How to join, large: open until the teacher closes it (a run started by the
    browser's reports does not close it)."""
    found = cm.teaching()
    if found is None:
        return
    link = cm.join_url(found.code)
    if cm.only_here(link):
        st.warning(f"`{link}` works only on this computer: your students' devices cannot "
                   "open it. Open the app at this computer's network address instead (`streamlit "
                   "run` prints it as the Network URL), or set `CLASS_JOIN_URL`.")
    st.image(qr_png(link, 10), width=360, alt="QR code of the join link")
    st.markdown(f"### Scan, or open `{link}`")
    st.markdown(f"### or open the app and type the code **{_unbroken(found.code)}** under "
                "*Live class* in the sidebar (on a phone: the » at the top left)")
    st.fragment(_joined, run_every=STUDENT_EVERY)()
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
        if question.id in quiz.load(question.lesson).predictions:
            st.caption("The demo it is about is on the projector.")
        if poll.status == REVEALED:
            _revealed(question, poll, _earlier(found.code, device, poll) if mine is None
                      else (poll.round, mine))
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
    if mine is not None:  # sent before a reload: the widget shows it again
        seed_answer(question, f"{key}_answer", _as_given(question, mine))
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


def _earlier(code: str, device: str, poll):
    """``(round, answer)``: this device's answer in the latest round it answered, or
    None (a student who answered round 1 but not round 2 still learns how they did)."""
    for number in range(poll.round - 1, 0, -1):
        mine = cm.classes().answer_of(code, device, poll.round_key(number))
        if mine is not None:
            return number, mine
    return None


def _revealed(question: Question, poll, mine) -> None:
    reveal = poll.reveal or {}
    right_text = f"**The answer: {reveal.get('truth', '?')}.** {reveal.get('why', '')}"
    if mine is None:
        st.info(right_text)
        return
    number, answer = mine
    when = f" in round {number}" if number != poll.round else ""
    right = _is_right(question, answer, reveal)
    (st.success if right else st.warning)(
        f"**{RIGHT if right else WRONG}** You answered **{_written(question, answer)}**"
        f"{when}. {right_text}")


# -- the teacher's question ---------------------------------------------------------

def ask_the_class(question: Question, prompt: str, settings: dict, fingerprint: str,
                  on_reveal, on_ask=None) -> bool:
    """In a lesson's question box, for the teacher: push the question to the class, then
    its answers as they come in, round by round, with the buttons that close a round,
    open the next and reveal the answer (``on_reveal()`` then shows it on the page;
    ``on_ask()`` hides an answer the page shows already). Returns whether the class is
    answering this question, so the box leaves the revealing to these buttons."""
    asked = _asked(question)
    if asked is None or asked[1] is None:
        return False
    found, _, poll, _ = asked
    if poll is None or poll.status == REVEALED:
        st.button("Ask the class", key=f"class_ask_{question.lesson}_{question.id}",
                  type="primary", on_click=_push,
                  args=(found, question, prompt, settings, fingerprint, on_ask),
                  help="Every student who joined sees this question on their device.")
        return False
    st.fragment(_answers_panel, run_every=PROJECTOR_EVERY if poll.status == OPEN else None)(
        question, fingerprint)
    # outside the panel: a click redraws the whole page (the panel alone reruns on its timer)
    close, again, reveal = st.columns(3)
    close.button("Close answers", key="class_close", disabled=poll.status != OPEN,
                 width="stretch", on_click=_act, args=(cm.classes().close, found))
    again.button(f"Ask again (round {poll.round + 1})", key="class_again", width="stretch",
                 help="After the discussion: everyone answers once more.",
                 on_click=_act, args=(cm.classes().again, found))
    reveal.button("Reveal the answer", key="class_reveal", type="primary", width="stretch",
                  on_click=_act, args=(cm.classes().reveal, found, on_reveal))
    st.toggle("Hide the answers until the round is closed", key=HIDE,
              help="So that nobody follows the crowd: the chart appears once you close the "
                   "round.")
    return True


def reveal(question: Question) -> None:
    """Reveal ``question`` to the class if the class is answering it (presenter mode's
    answer slide does what the Reveal button does)."""
    asked = _asked(question)
    if asked is not None and asked[2] is not None and asked[2].status != REVEALED:
        _act(cm.classes().reveal, asked[0])


def _push(found, question: Question, prompt: str, settings: dict, fingerprint: str,
          on_ask) -> None:
    st.session_state[cm.PROBLEM] = None
    try:
        cm.classes().ask(found.code, found.secret, question.key, prompt, fingerprint,
                         revealed(question, settings))
    except (StoreError, PermissionError) as err:
        st.session_state[cm.PROBLEM] = str(err)
        return
    if on_ask is not None:
        on_ask()


def _act(action, found, on_reveal=None) -> None:
    """A button under the answers: close the round, open the next, or reveal (then
    ``on_reveal()`` shows the answer on the page)."""
    st.session_state[cm.PROBLEM] = None
    try:
        action(found.code, found.secret)
    except (StoreError, PermissionError, ValueError) as err:
        st.session_state[cm.PROBLEM] = str(err)
        return
    if on_reveal is not None:
        on_reveal()


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


def _moved(poll, fingerprint: str) -> bool:
    return bool(poll.settings) and poll.settings != fingerprint


def _answers_panel(question: Question, fingerprint: str) -> None:
    asked = _asked(question)
    if asked is None:
        return
    _, live, poll, rounds = asked
    if poll is None:
        st.rerun()  # asked or ended elsewhere (another tab): draw the page afresh
    latest = len(rounds[-1])
    hidden = poll.status == OPEN and st.session_state.get(HIDE, False)
    said = "" if hidden else class_poll.summary(question, rounds[-1])
    state = "taking answers" if poll.status == OPEN else "closed"
    st.markdown(f"**Round {poll.round}, {state}: {latest} of {live.joined} joined answered.**"
                + (f" {said}." if said else ""))
    if _moved(poll, fingerprint):
        st.caption("You moved a setting after asking: the class answers the question as it "
                   "was asked, and its answers are marked against the answer for those "
                   "settings.")
    if hidden:
        st.caption("The answers are hidden until you close the round.")
    else:
        chart(class_poll.figure(question, rounds), key=f"class_answers_{question.id}")


def revealed(question: Question, settings: dict) -> dict:
    """The right answer for the settings a question is asked with, as the class is shown
    it once revealed: the answer (as the store keeps answers), how near counts as right,
    and it written out with why."""
    result = truth(question, **settings)
    verdict = answer_alone(question, result)
    answer = result.answer
    if isinstance(answer, frozenset):
        answer = sorted(answer)
    elif isinstance(answer, tuple):
        answer = [float(v) for v in answer]
    elif isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = float(answer)
    return {"answer": answer, "limit": quiz.tolerance(question, result),
            "truth": verdict.truth, "why": verdict.why}


def results(question: Question, fingerprint: str = "") -> None:
    """Under a revealed question, for the teacher: the class's answers, the right ones
    marked (nothing if the class was not asked this question)."""
    asked = _asked(question)
    if asked is None or asked[2] is None or asked[2].status != REVEALED:
        return
    _, _, poll, rounds = asked
    reveal = poll.reveal or {}
    right = sum(_is_right(question, answer, reveal) for answer in rounds[-1])
    if rounds[-1]:
        st.markdown(f"**The class, round {poll.round}: {right} of {len(rounds[-1])} right.**")
    else:
        st.markdown(f"**Nobody answered round {poll.round}.**")
    if _moved(poll, fingerprint):
        st.caption(f"The class was asked for the settings of then: its answers are marked "
                   f"against the answer for those, {reveal.get('truth', '?')}.")
    chart(class_poll.figure(question, rounds, _as_given(question, reveal.get("answer")),
                            float(reveal.get("limit", 0.0)), _rights(question, rounds,
                                                                             reveal)),
          key=f"class_results_{question.id}")


def _rights(question: Question, rounds: list[list], reveal: dict) -> list[list[bool]]:
    """Which answers of each round are right."""
    return [[_is_right(question, a, reveal) for a in answers] for answers in rounds]


def asked_here(question: Question) -> bool:
    """Whether this student's class is answering ``question`` now (the page's own copy of
    it then waits: answering it there would show the answer before the class's reveal)."""
    found = cm.member()
    if found is None or found.teacher:
        return False
    try:
        live = cm.classes().find(found.code)
    except StoreError:
        return False
    poll = live.poll if live else None
    return poll is not None and poll.question == question.key and poll.status != REVEALED
