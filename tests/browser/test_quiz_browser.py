"""A learner on lesson 4, with the keyboard: predicts, sees the outcome next to the guess (in
a live region, which screen readers announce),
answers the checks, and finds their progress on the home page and the missed question in
the review, after a reload and after the server restarts."""
from explainers import quiz
from explainers.quiz import grade, truth

from .server import free_port, learner, streamlit_server, wait_until_idle

LESSON = "bias_correction"
ANNOUNCED = '[role="status"], [role="alert"]'  # live regions: a screen reader reads them out


def _box(page, name):
    return page.locator(f".st-key-{name}_box")


def _answer(page, question, text):
    """Answer a check with the keyboard: type a number and press Enter, or pick an option
    with the arrow keys and press Enter on the Check button."""
    box = _box(page, f"check_{LESSON}_{question.id}")
    if question.kind == "number":
        field = box.get_by_role("textbox")
        field.fill(text)
        field.press("Enter")
    else:
        labels = [o.label for o in question.options]
        box.get_by_role("radio").first.focus()
        box.get_by_role("radio").first.press("Space")
        for _ in range(labels.index(text)):
            page.keyboard.press("ArrowDown")
        box.get_by_role("button", name="Check").press("Enter")
    alert = box.locator(ANNOUNCED)
    alert.wait_for()
    wait_until_idle(page)
    return alert.inner_text()


def test_predict_reveal_check_and_progress_survives(browser):
    questions = quiz.load(LESSON)
    port = free_port()
    context = learner(browser, predicted=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    with streamlit_server(port) as url:
        page.goto(f"{url}/bias-correction")
        wait_until_idle(page)
        predict = _box(page, f"predict_{LESSON}_first_step")
        assert "Predict first" in predict.inner_text()
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 0  # nothing shown yet
        assert "Check yourself" not in page.locator("main").inner_text()

        predict.get_by_role("button", name="Lock in my prediction").press("Enter")  # at 1
        predict.locator(ANNOUNCED).wait_for()
        wait_until_idle(page)
        predict.get_by_role("button", name="Predict again").click()  # one click takes it back
        thumb = predict.get_by_role("slider")
        thumb.wait_for()
        wait_until_idle(page)
        thumb.focus()
        for _ in range(4):  # 8 stops a decade: from 1 to 10^(4/8) = 3.16
            page.keyboard.press("ArrowRight")
        predict.get_by_role("button", name="Lock in my prediction").press("Enter")
        verdict = predict.locator(ANNOUNCED)
        verdict.wait_for()
        wait_until_idle(page)
        assert verdict.inner_text().startswith("Right. You predicted 3.16 α; the engine says "
                                               "3.16 α")
        assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4

        for i, question in enumerate(questions.checks):
            result = truth(question)
            right = grade(question, result.answer, result).truth
            if i == 0:  # the first one missed, through its trap: v before the correction
                slip = str(result.v)
                text = _answer(page, question, slip)
                assert text.startswith(f"Not quite. You answered {result.v:.3g}")
                assert "before the correction" in text
            shown = right.removesuffix(" α") if question.kind == "number" else right
            assert _answer(page, question, shown).startswith("Right. You answered")

    with streamlit_server(port) as url:  # a new server: the progress is the browser's
        page.goto(url)
        page.get_by_text("✓ Finished:").wait_for()  # once the browser reported its progress
        wait_until_idle(page)
        total = len(questions.checks)
        main = page.locator("main").inner_text()
        assert f"✓ Finished: {total - 1} of {total} checks right on the first try." in main
        assert "✓ 4. Bias correction" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Questions you missed, to review now: 1." in main

        page.reload()
        page.get_by_text("✓ Finished:").wait_for()
        wait_until_idle(page)
        page.locator('[data-testid="stSidebarNav"] a[href$="/review"]').click()
        page.wait_for_url("**/review")
        wait_until_idle(page)
        missed = questions.checks[0]
        box = _box(page, f"review_{LESSON}_{missed.id}")
        field = box.get_by_role("textbox")
        field.fill(grade(missed, truth(missed).answer, truth(missed)).truth)
        field.press("Enter")
        box.locator(ANNOUNCED).wait_for()
        assert box.locator(ANNOUNCED).inner_text().startswith("Right.")
        wait_until_idle(page)
        assert "Nothing to review right now" in page.locator("main").inner_text()
    context.close()
