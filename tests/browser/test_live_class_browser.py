"""A live class in real browsers: one teacher and three students, each in a browser of
their own, on one server. The teacher starts a class, the students join by the link, the
teacher pushes the home page's prediction, the students answer on their devices, the
projector counts them right, a restart of the server in the middle of the round loses no
answer, a second round is one click, and the reveal plays the demo and marks the answer
on every device."""
import re

from explainers import quiz
from explainers.home import first_to_floor

from .server import free_port, learner, streamlit_server, wait_until_idle

QUESTION = quiz.load("home").predictions["first_race"]
SEEN = 15_000  # ms: a pushed question, or an answer, must show well within this


def _device(browser):
    context = learner(browser, predicted=False, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def _label(key):
    return next(o.label for o in QUESTION.options if o.key == key)


def _answer(student, key):
    panel = student.locator(".st-key-class_student")
    panel.get_by_text(_label(key), exact=True).click()
    panel.get_by_role("button", name=re.compile("(Send|Change) my answer")).click()
    panel.get_by_text("Sent:").wait_for(timeout=SEEN)


def _projector_says(teacher, text):
    teacher.locator(".st-key-predict_home_first_race_box").get_by_text(
        text, exact=False).first.wait_for(timeout=SEEN)


def test_a_class_answers_on_its_own_devices_and_the_projector_shows_it(browser, tmp_path):
    port = free_port()
    env = {"CLASS_STORE": f"sqlite://{tmp_path}/classes.sqlite3"}
    right = first_to_floor().answer
    wrong = next(o.key for o in QUESTION.options if o.key != right)
    teacher, students = _device(browser), [_device(browser) for _ in range(3)]
    with streamlit_server(port, env=env) as url:
        teacher.goto(url)
        wait_until_idle(teacher)
        teacher.get_by_text("Live class", exact=True).click()
        teacher.get_by_role("button", name="Start a live class").click()
        dialog = teacher.get_by_role("dialog")
        dialog.locator("img").wait_for()  # the QR code, drawn by the server
        link = re.search(r"Scan, or open (\S+)", dialog.inner_text()).group(1)
        assert link.startswith(url) and "?join=" in link
        dialog.get_by_role("button", name="Close").first.click()
        dialog.wait_for(state="detached")
        bar = teacher.locator(".st-key-class_bar")
        bar.wait_for()
        assert "0 joined" in bar.inner_text()
        assert "present=1" in teacher.url and "teach" not in teacher.url  # no secret shown

        for student in students:
            student.goto(link)
            student.get_by_text("Waiting for your teacher's first question").wait_for(
                timeout=SEEN)
        bar.get_by_text("3 joined").wait_for(timeout=SEEN)
        assert students[0].get_by_role("button", name="Ask the class").count() == 0

        teacher.get_by_role("button", name="Ask the class").click()
        for student in students:  # the question arrives without a reload
            student.get_by_text("Question from your teacher").wait_for(timeout=SEEN)
        _answer(students[0], right)
        _answer(students[1], wrong)
        _answer(students[1], right)  # a change of mind replaces the answer
        _projector_says(teacher, "2 of 3 joined answered")

    with streamlit_server(port, env=env):  # the server restarts in the middle of the round
        for page in (teacher, *students):
            wait_until_idle(page)
        students[2].get_by_text("Question from your teacher").wait_for(timeout=SEEN)
        _answer(students[2], wrong)
        _projector_says(teacher, "3 of 3 joined answered")
        _projector_says(teacher, f"{_label(right)}: 2")
        _projector_says(teacher, f"{_label(wrong)}: 1")

        teacher.get_by_role("button", name="Ask again (round 2)").click()
        for student in students:
            student.get_by_text("(round 2)").wait_for(timeout=SEEN)
        _answer(students[2], right)  # convinced by the discussion
        _projector_says(teacher, "Round 2, taking answers: 1 of 3 joined answered")
        traces = teacher.evaluate(
            "() => document.querySelector('.st-key-predict_home_first_race_box "
            ".js-plotly-plot')._fullData.filter(t => t.type === 'bar').length")
        assert traces == 2  # both rounds, side by side

        teacher.get_by_role("button", name="Reveal the answer").click()
        _projector_says(teacher, "The engine says")
        _projector_says(teacher, "The class, round 2: 1 of 1 right")
        teacher.locator('[data-testid="stPlotlyChart"]').nth(1).wait_for()  # the race plays
        students[2].locator(".st-key-class_student").get_by_text("Right.").wait_for(
            timeout=SEEN)
        students[0].locator(".st-key-class_student").get_by_text("The answer:").wait_for(
            timeout=SEEN)
        for page in (teacher, *students):
            assert page.locator('[data-testid="stException"]').count() == 0
