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
    assert f"?join={member.code}" in text and spaced(member.code).replace("-", "\u2011") in text
    assert "works only on this computer" in text  # AppTest's address is localhost
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


def test_a_students_own_page_waits_while_the_class_answers_its_question(store):
    teacher = _teacher()
    student = _student(teacher.session_state[cm.MEMBER].code)
    teacher.button(key="class_ask_home_first_race").click()
    rerun(teacher)
    rerun(student)
    assert "Your teacher has asked the class this question" in _texts(student)
    assert not [b for b in student.button if "Lock in" in b.label]  # no answer to peek at
    teacher.button(key="class_reveal").click()
    rerun(teacher)
    assert "Your teacher has asked" not in _texts(rerun(student))


def test_the_teacher_keeps_the_class_out_of_presenter_mode_and_after_a_reload(store):
    teacher = _teacher()
    member = teacher.session_state[cm.MEMBER]
    teacher.button(key="class_ask_home_first_race").click()
    rerun(teacher)
    teacher.sidebar.toggle(key="present").set_value(False)
    rerun(teacher)
    assert {"class_close", "class_reveal"} <= {b.key for b in teacher.button}
    reloaded = open_page(predicted=False)  # a new session: the browser reports its secret
    reloaded.session_state[cm.KEY] = {"stored": json.dumps(
        {"device": DEVICE, "teaching": {"code": member.code, "secret": member.secret}})}
    reloaded.session_state[REPORTED] = True
    assert rerun(reloaded).session_state[cm.MEMBER] == member
    assert "class_reveal" in {b.key for b in reloaded.button}


def test_a_students_session_cannot_ask_or_reveal(store):
    teacher = _teacher()
    student = _student(teacher.session_state[cm.MEMBER].code)
    keys = {b.key for b in student.button}
    assert not keys & {"class_ask_home_first_race", "class_reveal", "class_close",
                       "class_again", "class_end"}
    assert "Leave the live class" in [b.label for b in student.sidebar.button]


@pytest.mark.parametrize("code, said", [
    ("<b>nope</b>", "is not a class code"),
    ("[Join here](//ev.il)", "` [Join here](//ev.il) ` is not a class code"),
    ("ABCD234O", "never I, O, 0 or 1"),
    ("ABCD-2345", "No live class has the code ABCD-2345"),
])
def test_a_wrong_code_gets_a_sentence(store, code, said):
    at = _student(code)
    assert said in "\n".join(w.value for w in at.warning)
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
    assert class_poll.summary(QUESTION, ["adam", "adam"]).endswith("Adam: 2, Neither gets "
                                                                   "there in the time given: 0")


def _per_round(figure) -> dict:
    rounds = {}
    for trace in figure["data"]:
        rounds.setdefault(trace.get("xaxis", "x"), []).append(trace)
    return rounds


def test_a_number_histogram_splits_right_from_wrong_with_a_bin_per_notch():
    memory = quiz.find("what_breaks/memory")  # a log slider from 1 to 10,000 GB
    rights = [[False, False, True, False], [True, True]]
    figure = class_poll.figure(memory, [[1, 10, 280, 1000], [280, 300]], 280.0, rights=rights)
    rounds = _per_round(figure)
    assert [sum(sum(t["y"]) for t in traces) for traces in rounds.values()] == [4, 2]
    assert [sum(sum(t["y"]) for t in traces if t["name"].startswith("right"))
            for traces in rounds.values()] == [1, 2]
    assert len(figure["data"][0]["x"]) == len(quiz.notches(memory))  # one bin per notch
    assert figure["layout"]["xaxis"]["title"]["text"].endswith("log scale")
    assert "✓ 280 GB" in [a["text"] for a in figure["layout"]["annotations"]]
    assert class_poll.summary(memory, [1, 3, 100, 200]) == "The middle answer: 3 GB"


def test_one_wild_answer_does_not_squash_the_others():
    eps = quiz.find("what_breaks/eps")  # a typed number
    figure = class_poll.figure(eps, [[0.1 + 0.01 * i for i in range(20)] + [1e9]])
    assert figure["layout"]["xaxis"]["range"][1] < 1  # 1e9 is counted in the last bin
    assert sum(figure["data"][0]["y"]) == 21
    where = quiz.find("foggy_hiker/where")
    points = [[0.1 * i, 0.2] for i in range(20)] + [[1e30, -1e30], "garbage"]
    figure = class_poll.figure(where, [points], (0.5, 0.5), 0.1)
    dots = figure["data"][0]
    assert len(dots["x"]) == 21 and figure["layout"]["xaxis"]["range"][1] < 5
    assert dots["marker"]["symbol"].count("triangle-up") == 1  # drawn at the edge
    assert figure["data"][1]["marker"]["symbol"] == "star"


def test_a_typed_wrong_code_is_answered_beside_the_field(store):
    at = open_page(predicted=False)
    at.sidebar.text_input(key="class_code").input("ABCD-2345")
    at.sidebar.button(key="FormSubmitter:class_join-Join").click()
    rerun(at)
    at.session_state[cm.KEY] = {"stored": json.dumps({"device": DEVICE, "teaching": None})}
    at.session_state[REPORTED] = True  # the browser reports the device it joins from
    rerun(at)
    assert "No live class has the code ABCD-2345" in "\n".join(
        w.value for w in at.sidebar.warning)


def test_on_slides_the_question_slide_asks_the_class_and_the_next_slide_reveals(store):
    teacher = _teacher()
    code = teacher.session_state[cm.MEMBER].code
    student = _student(code)
    teacher.switch_page("pages/bias-correction.py")
    rerun(teacher)
    teacher.button(key="slide_next").click()  # the story, then the question alone
    rerun(teacher)
    teacher.button(key="class_ask_bias_correction_first_step").click()
    rerun(teacher)
    assert store.find(code).poll.status == "open"
    assert "Question from your teacher" in _texts(rerun(student))
    assert "The engine says" not in _texts(teacher)
    teacher.button(key="slide_next").click()  # the answer slide reveals it to the room
    rerun(teacher)
    assert store.find(code).poll.status == "revealed"
    assert "**The engine says 3.16 α.**" in _texts(teacher)
    assert "The answer:" in _texts(rerun(student))
