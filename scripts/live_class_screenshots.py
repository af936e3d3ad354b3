"""Screenshots of a live class in headless Chromium, for the README: the projector with
the answers of two rounds coming in, and a student's phone.

    python scripts/live_class_screenshots.py [--out docs/screenshots] [--students 12]

Starts a server with a fresh class store, a teacher (1280 x 720, presenter mode) and
phone-sized students, who join by the link the projector shows and answer lesson 4's
prediction: a first round spread out, a second after "discussion" closer to the truth.
"""
import argparse
import pathlib
import random
import re
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.browser.server import chromium, learner, streamlit_server, wait_until_idle  # noqa: E402

BOX = ".st-key-predict_bias_correction_first_step_box"


def _answer(student, notches: int) -> None:
    """Drag the student's log slider ``notches`` to the right of its middle and send."""
    panel = student.locator(".st-key-class_student")
    panel.get_by_role("slider").focus()
    for _ in range(abs(notches)):
        student.keyboard.press("ArrowRight" if notches > 0 else "ArrowLeft")
    panel.get_by_role("button", name=re.compile("(Send|Change) my answer")).click()
    panel.get_by_text("Sent:").wait_for()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--students", type=int, default=12)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as work, chromium() as browser, streamlit_server(
            env={"CLASS_STORE": f"sqlite://{work}/classes.sqlite3"}) as url:
        teacher = learner(browser, predicted=False,
                          viewport={"width": 1280, "height": 720}).new_page()
        teacher.set_default_timeout(60_000)
        teacher.goto(f"{url}/bias-correction")
        wait_until_idle(teacher)
        teacher.get_by_text("Live class", exact=True).click()
        teacher.get_by_role("button", name="Start a live class").click()
        dialog = teacher.get_by_role("dialog")
        dialog.locator("img").wait_for()
        link = re.search(r"Scan, or open (\S+)", dialog.inner_text()).group(1)
        dialog.get_by_role("button", name="Close").first.click()
        students = []
        for _ in range(args.students):
            student = learner(browser, predicted=False, is_mobile=True, has_touch=True,
                              viewport={"width": 390, "height": 844}).new_page()
            student.set_default_timeout(60_000)
            student.goto(link)
            student.get_by_text("Waiting for your teacher's first question").wait_for()
            students.append(student)
        teacher.get_by_role("button", name="Ask the class").click()
        for student in students:  # most think the step shrinks (the notch 0 is 1 α)
            student.get_by_text("Question from your teacher").wait_for()
            _answer(student, rng.choice([-8, -6, -4, -4, 0, 0, 4, 8]))
        teacher.get_by_role("button", name="Ask again (round 2)").click()
        for student in students:  # after the discussion: larger, mostly near 3.16 α
            student.get_by_text("(round 2)").wait_for()
            _answer(student, rng.choice([4, 4, 4, 3, 5, 8, 0]))
        teacher.get_by_text(f"{args.students} of {args.students} joined answered").wait_for()
        teacher.locator(BOX).scroll_into_view_if_needed()
        teacher.mouse.move(5, 400)  # no tooltip over the chart
        teacher.wait_for_timeout(2000)
        teacher.screenshot(path=str(out / "live-class-projector.png"))
        students[0].wait_for_timeout(500)
        students[0].screenshot(path=str(out / "live-class-student.png"))
        print(out / "live-class-projector.png", out / "live-class-student.png")


if __name__ == "__main__":
    main()
