"""Predictions and checks: the question files, the grading, and every lesson's questions
answered right and wrong through its page."""
import datetime
import json
import math
import re

import pytest
from streamlit.testing.v1 import AppTest

from explainers import quiz
from explainers.lessons import HOME, LESSONS, PAGES
from explainers.quiz import grade, parse_number, truth
from tests import apptest
from ui.quiz import verdict_text

QUIZZED = [page for page in PAGES if page.built and (quiz.load(page.module).predictions
                                                      or quiz.load(page.module).checks)]


@pytest.mark.parametrize("text, value", [
    ("0.04", 0.04), ("4e-2", 0.04), ("4E-2", 0.04), ("4 × 10^-2", 0.04), ("4x10^-2", 0.04),
    ("4·10⁻²", 0.04), ("10^-2", 0.01), ("1/25", 0.04), ("4%", 0.04), ("3,16", 3.16),
    ("1,000", 1000), ("1 000", 1000), ("−2", -2), (" 3.16 α ", 3.16), ("3.16alpha", 3.16),
    ("+.5", 0.5), ("4 * 10**-2", 0.04)])
def test_numbers_are_read_as_a_learner_types_them(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1/0", "inf", "nan", "1e999", "3..2", "0x10",
                                  "1,2,3"])
def test_what_is_not_a_number_is_refused(text):
    assert parse_number(text) is None


def test_every_lesson_predicts_and_checks():
    for lesson in (lesson for lesson in LESSONS if lesson.built):
        q = quiz.load(lesson.module)
        assert q.predictions, f"{lesson.url_path} asks no prediction"
        assert 3 <= len(q.checks) <= 5, f"{lesson.url_path}: {len(q.checks)} checks"
    assert quiz.load(HOME.module).predictions


@pytest.mark.parametrize("lesson", QUIZZED, ids=lambda p: p.url_path or "home")
def test_every_check_has_a_computed_answer_its_traps_and_options_are_wrong(lesson):
    for question in quiz.load(lesson.module).checks:
        result = truth(question)
        assert grade(question, result.answer, result).right, question.key
        if question.kind == "choice":
            keys = {o.key for o in question.options}
            rights = result.answer if isinstance(result.answer, frozenset) else {result.answer}
            assert rights <= keys and keys - rights, question.key
        for trap in question.traps:
            value = getattr(result, trap.field, question.args.get(trap.field))
            verdict = grade(question, value, result)
            assert not verdict.right and verdict.why.startswith(
                quiz.fill(trap.why, "", **quiz.values(question, result))), question.key
        for text in (question.prompt, question.explain):
            assert "{{" not in quiz.fill(text, question.key, **quiz.values(question, result))


def test_a_number_is_right_within_its_tolerance_and_the_distance_is_said():
    question = quiz.load("bias_correction").predictions["first_step"]
    result = truth(question, beta1=0.9, beta2=0.999)
    assert result.answer == pytest.approx(0.1 / math.sqrt(0.001))
    close, far = grade(question, 3.0, result), grade(question, 0.5, result)
    assert close.right and not far.right
    assert far.distance == f"off by a factor of {result.answer / 0.5:.3g}"
    assert far.truth == "3.16 α" and far.given == "0.5 α"


# -- through the pages ---------------------------------------------------------------

def _alerts(at) -> list[str]:
    """Every success, warning and info box's text, in page order (at.get would group them
    by kind, so a page's second verdict could come before its first)."""
    found = []

    def walk(node):
        children = node.children.values() if isinstance(node.children, dict) else node.children
        for child in children:
            if type(child).__name__ in ("Success", "Warning", "Info"):
                found.append(child.value)
            elif hasattr(child, "children"):
                walk(child)

    walk(at.main)
    walk(at.sidebar)
    return found


def _submit(at, form: str, label: str):
    at.button(key=f"FormSubmitter:{form}-{label}").click()
    return apptest.rerun(at)


def _enter(at, question, key: str, answer):
    """Put ``answer`` (an option key, a number, a point) into the question's widget."""
    if question.kind == "choice":
        at.radio(key=key).set_value(answer)
    elif question.kind == "number" and question.scale == "log":
        slider = at.select_slider(key=key)
        stops = [float(o.split()[0]) for o in slider.options]  # "3.16 α"
        slider.set_value(min(stops, key=lambda o: abs(math.log(o / answer))))
    elif question.kind == "number":
        at.text_input(key=key).input(repr(answer))
    else:
        at.number_input(key=f"{key}_x").set_value(answer[0])
        at.number_input(key=f"{key}_y").set_value(answer[1])


def _predicted(at, index: int) -> str:
    """The verdict of the page's ``index``-th prediction (they come in page order)."""
    texts = [t for t in _alerts(at) if "You predicted" in t]
    assert len(texts) == index + 1, texts
    return texts[index]


def _engine_says(at, index: int) -> str:
    return re.search(r"the engine says \*\*(.+?)\*\*", _predicted(at, index)).group(1)


def _right_keys(question, shown: str) -> list[str]:
    """The options the engine's answer names (one label, or several joined by "and")."""
    named = [o for o in question.options if o.label in shown]
    if " and ".join(o.label for o in named) != shown:
        named = [o for o in named if o.label == shown]
    assert named, (question.key, shown)
    return [o.key for o in named]


def _as_answer(question, shown: str):
    """The engine's answer as written on the page, as a widget's input."""
    if question.kind == "choice":
        return _right_keys(question, shown)[0]
    if question.kind == "number":
        return parse_number(shown.removesuffix(question.unit).strip())
    return tuple(float(v) for v in shown.strip("()").split(","))


def _wrong(question, shown: str):
    right = _as_answer(question, shown)
    if question.kind == "choice":
        return next(o.key for o in question.options if o.key not in _right_keys(question, shown))
    if question.kind == "number":
        return right * 20 + 1
    return (right[0] + 100, right[1] + 100)


def _predict(at, question, answer):
    form = f"predict_{question.lesson}_{question.id}"
    _enter(at, question, f"{form}_answer", answer)
    return _submit(at, form, "Lock in my prediction")


def _again(at, question):
    at.button(key=f"predict_{question.lesson}_{question.id}_again").click()
    return apptest.rerun(at)


@pytest.mark.parametrize("lesson", QUIZZED, ids=lambda p: p.url_path or "home")
def test_each_question_answered_right_and_wrong_on_its_page(lesson):
    at = apptest.open_page(lesson.page if lesson.url_path else None, predicted=False)
    q = quiz.load(lesson.module)
    for index, question in enumerate(q.predictions.values()):  # in page order
        first = apptest.stand_in(question)
        at = _predict(at, question, tuple(first) if question.kind == "point" else first)
        shown = _engine_says(at, index)
        for answer, head in ((_as_answer(question, shown), "**Right.**"),
                             (_wrong(question, shown), "**Not quite.**")):
            at = _predict(_again(at, question), question, answer)
            assert _predicted(at, index).startswith(f"{head} You predicted")
    for i, question in enumerate(q.checks):
        result = truth(question)
        form = f"check_{question.lesson}_{question.id}"
        wrong = _wrong(question, grade(question, result.answer, result).truth)
        order = [result.answer] if i % 2 == 0 else [wrong, result.answer]
        for answer in order:
            _enter(at, question, f"{form}_answer", answer)
            at = _submit(at, form, "Check")
            expected = verdict_text(grade(question, answer, result), prediction=False)
            assert expected in _alerts(at), (expected, _alerts(at))
    if q.checks:
        total, right = len(q.checks), (len(q.checks) + 1) // 2
        assert any(m.value.startswith(f"**Lesson finished: {right} of {total} right on the "
                                      "first try.**") for m in at.markdown)
        later = [page for page in LESSONS if page.built and page.number > lesson.number]
        assert [link.label for link in at.get("page_link")][-1:] == (
            [f"On to lesson {later[0].number}: {later[0].title}"] if later else [])
        at.switch_page("pages/home.py").run()
        captions = " ".join(c.value for c in at.caption)
        assert f"**✓ Finished:** {right} of {total} checks right on the first try." in captions


def _heading(at) -> str:
    return next(m.value for m in at.markdown
                if m.value.startswith(("### 4. Bias correction · ", "### Lesson 4 · ")))


def _next_slide(at):
    at.button(key="slide_next").click()
    return apptest.rerun(at)


def test_presenter_mode_shows_slides_the_next_one_revealing_each_answer():
    at = apptest.open_page("pages/bias-correction.py", {"present": "1"}, predicted=False)
    assert _heading(at) == "### 4. Bias correction · The question"
    assert not apptest.figures(at) and not at.title  # one slide: no page title above it
    at = _next_slide(at)
    assert _heading(at).endswith("· Predict first")
    assert not at.main.slider and not at.main.text_input  # the room answers, not the projector
    assert not any(t.startswith("**The engine says") for t in _alerts(at))
    at = _next_slide(at)
    assert _heading(at).endswith("· The answer") and at.query_params["slide"] == "3"
    assert any(t.startswith("**The engine says 3.16 α.**") for t in _alerts(at))
    assert at.session_state["_progress"]["predictions"]["bias_correction/first_step"][
        "guess"] is None  # revealed, without a guess
    checks = quiz.load("bias_correction").checks
    while not _heading(at).endswith(f"· Check 1 of {len(checks)}"):
        at = _next_slide(at)
    assert not any(t.startswith("**Answer:") for t in _alerts(at))  # not revealed yet
    at = _next_slide(at)
    assert any(t.startswith("**Answer: 4.**") for t in _alerts(at))
    at.button(key="slide_back").click()
    at = apptest.rerun(at)
    assert not any(t.startswith("**Answer:") for t in _alerts(at))


def test_a_lesson_left_and_come_back_to_opens_at_the_slide_it_was_left_on():
    at = apptest.open_page("pages/bias-correction.py", {"present": "1", "slide": "3"},
                           predicted=False)
    at.query_params.pop("slide")  # a switch in the sidebar drops the page's link
    at.switch_page("pages/foggy-hiker.py").run()
    assert at.query_params["slide"] == "1"
    at.query_params.pop("slide")  # and so does Back, in the browser
    at.switch_page("pages/bias-correction.py").run()
    assert _heading(at).endswith("· The answer") and at.query_params["slide"] == "3"


def test_a_slide_number_in_the_link_opens_that_slide_and_garbage_opens_the_first():
    at = apptest.open_page("pages/bias-correction.py", {"present": "1", "slide": "3"},
                           predicted=False)
    assert _heading(at).endswith("· The answer")
    at = apptest.open_page("pages/bias-correction.py", {"present": "1", "slide": "999"})
    total = quiz.load("bias_correction").checks
    assert _heading(at).endswith(f"· Check {len(total)} of {len(total)}: the answer")
    at = apptest.open_page("pages/bias-correction.py", {"present": "1", "slide": "x`y"})
    assert _heading(at).endswith("· The question")
    assert any("a slide is named by its number" in w.value for w in at.warning)


def test_a_missed_question_comes_back_in_review_until_answered_right():
    at = apptest.open_page("pages/bias-correction.py")
    question = quiz.load("bias_correction").checks[0]
    form = f"check_{question.lesson}_{question.id}"
    _enter(at, question, f"{form}_answer", 123.0)
    at = _submit(at, form, "Check")
    at.switch_page("pages/review.py").run()
    review = f"review_{question.lesson}_{question.id}"
    assert at.text_input(key=f"{review}_answer")
    _enter(at, question, f"{review}_answer", truth(question).answer)
    at = _submit(at, review, "Check")
    assert any(t.startswith("**Right.**") for t in _alerts(at))  # the feedback stays
    entry = at.session_state["_progress"]["checks"][question.key]
    assert entry == {"first": False, "box": 1, "due": datetime.date.today().toordinal() + 1}
    at.switch_page("pages/review.py").run()
    assert any("Nothing to review right now" in t for t in _alerts(at))


def test_a_check_answered_on_an_earlier_visit_says_how_it_went():
    at = apptest.open_page()
    first, second = quiz.load("bias_correction").checks[:2]
    at.session_state["_progress"]["checks"].update(
        {first.key: {"first": False, "box": 0, "due": 0}, second.key: {"first": True}})
    at.switch_page("pages/bias-correction.py").run()
    captions = [c.value for c in at.caption]
    assert "You answered this before: missed on the first try, so it waits for you on the " \
           "review page." in captions
    assert "You answered this before: right on the first try." in captions


def test_a_prediction_made_for_other_settings_is_not_graded_for_these():
    at = apptest.open_page("pages/bias-correction.py", predicted=False)
    question = quiz.load("bias_correction").predictions["first_step"]
    at = _predict(at, question, 3.16)
    assert _predicted(at, 0).startswith("**Right.**")
    at.select_slider(key="beta2").set_value(0.99).run()
    told = [t for t in _alerts(at) if "for other settings" in t]
    assert told and told[0].startswith("You predicted **3.16 α** for other settings. For these, "
                                       "the engine says **1 α**.")
    assert not any("You predicted" in t and "**Right.**" in t for t in _alerts(at))


def test_review_asks_in_lesson_order_without_an_empty_label():
    at = apptest.open_page()
    missed = [quiz.load(m).checks[0] for m in ("bias_correction", "one_learning_rate")]
    for question in missed:
        at.session_state["_progress"]["checks"][question.key] = {"first": False, "box": 0,
                                                                 "due": 0}
    at.switch_page("pages/review.py").run()
    prompts = [m.value for m in at.markdown if m.value in {quiz.prompt(q) for q in missed}]
    assert prompts == [quiz.prompt(missed[1]), quiz.prompt(missed[0])]  # lesson 1, then 4
    assert not any(m.value.startswith("****") for m in at.markdown)


def test_stored_progress_that_names_no_question_or_is_malformed_is_left_out():
    good = quiz.load("bias_correction").checks[0].key
    stored = {"predictions": {"../../etc/passwd/x": 1, "bias_correction/nope": 2},
              "checks": {good: {"first": False, "box": 0, "due": 0},
                         "bias_correction/nope": {"first": False, "box": 0, "due": 0},
                         quiz.load("bias_correction").checks[1].key: {"box": "soon"},
                         "tuning/edge": "garbage"}}
    at = AppTest.from_file(apptest.APP, default_timeout=60)
    at.session_state["progress_store"] = {"stored": json.dumps(stored)}
    at.run()
    assert not at.exception
    assert at.session_state["_progress"] == {"predictions": {},
                                             "checks": {good: stored["checks"][good]}}
    at.switch_page("pages/review.py").run()
    assert not at.exception and at.text_input(key=f"review_bias_correction_{good.split('/')[1]}"
                                                  "_answer")
