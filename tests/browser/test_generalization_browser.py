"""Lesson 6's last section in a browser: a learner predicts whether tuned Adam generalizes
worse than tuned momentum, then reads the chart and the table, and switches the model."""
import json

from explainers import generalization as gen
from explainers import paper_reproduced as paper
from explainers.quiz import load
from tests.apptest import all_predicted
from ui.progress import STORAGE_KEY

from .server import wait_until_idle

ANNOUNCED = '[role="status"], [role="alert"]'
CHART_JS = """() => {
  const plot = document.querySelector('.st-key-generalization .js-plotly-plot');
  return plot && plot._fullData ? {title: plot.layout.title.text,
    traces: plot._fullData.map(t => ({name: t.name, y: Array.from(t.y)}))} : null;
}"""


def _learner_before_this_prediction(browser):
    """A learner who has made every prediction of the app but this section's."""
    progress = all_predicted()
    del progress["predictions"]["paper_reproduced/generalization"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem({json.dumps(STORAGE_KEY)}, "
                            f"{json.dumps(json.dumps(progress))});")
    return context


def _table(page) -> list[list[str]]:
    """The section's table (the page's last dataframe), row by row, as the grid shows it."""
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    rows = grid.locator("table tr")
    return [row.locator("td, th").all_inner_texts() for row in rows.all()]


def _chart(page) -> dict:
    page.wait_for_function(CHART_JS)
    return page.evaluate(CHART_JS)


def test_predict_then_read_the_chart_and_the_table_and_switch_the_model(browser, app_url):
    context = _learner_before_this_prediction(browser)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_url}/paper-reproduced")
    wait_until_idle(page)
    box = page.locator(".st-key-predict_paper_reproduced_generalization_box")
    box.scroll_into_view_if_needed()
    assert "On the test examples" in box.inner_text()
    assert page.locator(".st-key-generalization").count() == 0  # asked before it shows

    truth = paper.adam_vs_momentum(gen.MODEL.default)
    question = load("paper_reproduced").predictions["generalization"]
    label = next(o.label for o in question.options if o.key == truth.answer)
    box.get_by_text(label).click()
    box.get_by_role("button", name="Lock in my prediction").click()
    verdict = box.locator(ANNOUNCED)
    verdict.wait_for()
    wait_until_idle(page)
    assert verdict.inner_text().startswith("Right.")
    assert f"on {truth.adam_ahead} of the {truth.seeds} splits" in box.inner_text()

    shown = _chart(page)
    assert gen.MODELS["network"].label in shown["title"]
    adam = next(t for t in shown["traces"] if t["name"] == gen.ADAM_LABEL)
    expected = gen.table("network")
    assert [f"{y:.2f} %" for y in adam["y"]] == expected["test accuracy"][:-1].tolist()
    rows = _table(page)
    assert rows[0][:3] == ["optimizer", "ε", "α"]
    body = [r for r in rows[1:] if r]
    assert [r[2] for r in body] == expected["α"].tolist()
    assert body[-1][0] == gen.MOMENTUM_ROW

    page.locator(".st-key-gen_model").get_by_text("Logistic regression").click()
    page.wait_for_function("() => location.search.includes('gen_model=linear')")
    wait_until_idle(page)
    page.wait_for_function(CHART_JS.replace("return plot", "return plot && plot.layout.title"
                                            ".text.includes('Logistic') && plot"))
    body = [r for r in _table(page)[1:] if r]
    assert [r[2] for r in body] == gen.table("linear")["α"].tolist()
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()
