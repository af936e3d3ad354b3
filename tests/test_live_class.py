"""The live class through AppTest: the teacher's and a student's sessions on one store, the
pushed question, the answers counted on the projector, the reveal on the student's device,
and every bad link or broken store answered with a sentence, never a traceback."""
import json

import pytest

from classroom.classes import spaced
from explainers import class_poll, quiz
from explainers.home import first_to_floor
from tests.apptest import open_page, rerun
from ui import class_member as cm
from ui.url_sync import REPORTED

QUESTION = quiz.load("home").predictions["first_race"]
DEVICE = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Every session in this test on one fresh SQLite store."""
    monkeypatch.setenv("CLASS_STORE", f"sqlite://{tmp_path}/classes.sqlite3")
    cm.classes.clear()
    yield cm.classes()
    cm.classes.clear()


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [e.value for e in at.warning]
                     + [e.value for e in at.info] + [e.value for e in at.success]
                     + [e.value for e in at.error])


def _teacher():
    at = open_page(predicted=False)
    at.sidebar.button(key="class_start").click()
    return rerun(at)


def _student(code: str, device: str = DEVICE):
    at = open_page(query={"join": code}, predicted=False)
    at.session_state[cm.KEY] = {"stored": json.dumps({"device": device, "teaching": None})}
    at.session_state[REPORTED] = True  # as the component's callback marks its report
    return rerun(at)  # the browser has reported its device


def test_the_teacher_starts_a_class_in_presenter_mode_with_a_join_link(store):
    at = _teacher()
    member = at.session_state[cm.MEMBER]
    assert member.teacher and at.session_state["present"] is True
    text = _texts(at)
    assert f"?join={member.code}" in text and spaced(member.code) in text
    assert "0** joined" in text
    assert "teach" not in at.query_params and "join" not in at.query_params
    assert store.teaches(member.code, member.secret)


def test_a_student_joins_by_the_link_and_answers_the_pushed_question(store):
    teacher = _teacher()
    code = teacher.session_state[cm.MEMBER].code
    student = _student(code.lower())
    assert "Waiting for your teacher's first question" in _texts(student)
    assert student.query_params["join"] == code  # kept for a reload
    assert "1** joined" in _texts(rerun(teacher))

    teacher.button(key="class_ask_home_first_race").click()
    rerun(teacher)
    rerun(student)
    assert "Question from your teacher" in _texts(student)
    round_key = store.find(code).poll.round_key()
    form_key = f"class_{round_key.replace('.', '_')}"
    student.radio(key=f"{form_key}_answer").set_value("adam")
    student.button(key=f"FormSubmitter:{form_key}-Send my answer").click()
    rerun(student)
    assert store.answers(code, round_key) == ["adam"]
    assert "Sent: **Adam**" in _texts(student)
    assert "1 of 1 joined answered" in _texts(rerun(teacher))
    assert "Adam: 1" in _texts(teacher)

    teacher.button(key="class_reveal").click()
    rerun(teacher)
    assert "The engine says" in _texts(teacher)
    rerun(student)
    right = first_to_floor().answer == "adam"
    assert ("Right." if right else "Not quite.") in _texts(student)
    assert "The answer:" in _texts(student)


def test_a_students_session_cannot_ask_or_reveal(store):
    teacher = _teacher()
    student = _student(teacher.session_state[cm.MEMBER].code)
    keys = {b.key for b in student.button}
    assert not keys & {"class_ask_home_first_race", "class_reveal", "class_close",
                       "class_again", "class_end"}
    assert "Leave the live class" in [b.label for b in student.sidebar.button]


@pytest.mark.parametrize("code, said", [
    ("<b>nope</b>", "is not a class code"),
    ("ABCD-2345", "No live class has the code ABCD-2345"),
])
def test_a_wrong_code_gets_a_sentence(store, code, said):
    at = _student(code)
    assert said in _texts(at)
    assert not at.exception and cm.MEMBER not in at.session_state
    assert "join" not in at.query_params  # not kept for the next reload


def test_a_teachers_link_hands_the_class_over_and_leaves_the_address(store):
    teacher = _teacher()
    member = teacher.session_state[cm.MEMBER]
    other = open_page(query={"teach": f"{member.code}.{member.secret}"}, predicted=False)
    assert other.session_state[cm.MEMBER] == member
    assert "teach" not in other.query_params
    forged = open_page(query={"teach": f"{member.code}.not-the-secret"}, predicted=False)
    assert cm.MEMBER not in forged.session_state
    assert "That teacher's link is for a class that has ended" in _texts(forged)


def test_an_ended_class_tells_its_students(store):
    teacher = _teacher()
    student = _student(teacher.session_state[cm.MEMBER].code)
    teacher.sidebar.button(key="class_end").click()
    rerun(teacher)
    assert cm.MEMBER not in teacher.session_state
    assert "has ended" in _texts(rerun(student))


def test_a_store_that_is_down_gets_a_sentence_not_a_traceback(monkeypatch):
    monkeypatch.setenv("CLASS_STORE", "redis://127.0.0.1:1/0")
    cm.classes.clear()
    try:
        at = _student("ABCD-2345")
        assert "cannot be reached right now" in _texts(at)
        teacher = open_page(query={"present": "1"}, predicted=False)
        teacher.sidebar.button(key="class_start").click()
        rerun(teacher)
        assert "That did not work" in _texts(teacher)
    finally:
        cm.classes.clear()


def test_the_answers_figure_counts_every_round_and_marks_the_right_answer():
    rounds = [["adam", "sgd", "adam"], ["adam", "adam", "adam"]]
    figure = class_poll.figure(QUESTION, rounds, truth="adam")
    assert [trace["x"] for trace in figure["data"]] == [[1, 2, 0], [0, 3, 0]]
    assert [label.startswith("✓") for label in figure["data"][0]["y"]] == [False, True, False]
    assert figure["layout"]["xaxis"]["title"]["text"] == "answers"
    memory = quiz.find("what_breaks/memory")
    figure = class_poll.figure(memory, [[1, 10, 100, 1000], [280, 300]], truth=280.0)
    assert [sum(trace["y"]) for trace in figure["data"]] == [4, 2]
    assert figure["layout"]["xaxis"]["title"]["text"].endswith("log scale")
    assert "✓ 280 GB" in [a["text"] for a in figure["layout"]["annotations"]]
    where = quiz.find("foggy_hiker/where")
    figure = class_poll.figure(where, [[[0.1, 0.2], [1, 1], "garbage"]], (0.5, 0.5), 0.1)
    assert figure["data"][0]["x"] == [0.1, 1] and figure["data"][1]["marker"]["symbol"] == "star"
    assert class_poll.summary(QUESTION, ["adam", "adam"]).endswith("Adam: 2, Neither gets "
                                                                   "there in the time given: 0")
    assert class_poll.summary(memory, [1, 3, 100]) == "The middle answer: 3 GB"
