"""Lesson 7 in a browser: clicking a heatmap cell draws that run; the fair race is predicted,
shortened and read."""
from .conftest import wait_for_app
from .server import wait_until_idle


def test_click_a_cell_to_see_its_run(page, app_url):
    page.goto(f"{app_url}/tuning")
    wait_for_app(page)
    assert page.get_by_text("Click a cell of a heatmap").count() == 1
    area = page.locator('.js-plotly-plot .nsewdrag[data-subplot="xy"]').first
    area.scroll_into_view_if_needed()  # below the prediction and its answer
    box = area.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5)
    page.get_by_text("The run you clicked").wait_for(timeout=30_000)
    wait_for_app(page)
    body = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert "α = " in body and ("above the minimum" in body or "diverged at step" in body)
    assert page.locator('[data-testid="stException"]').count() == 0


CELLS_JS = """() => Array.from(document.querySelectorAll(
  '[data-testid="stDataFrame"] table tbody tr')).map(r => Array.from(r.querySelectorAll('td'))
  .map(td => td.innerText))"""


def table(page) -> dict[str, list[str]]:
    """The fair race's table as drawn (its grid renders its cells once in view), by racer."""
    page.locator('[data-testid="stDataFrame"]').scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({CELLS_JS})().length > 0")
    return {row[0]: row for row in page.evaluate(CELLS_JS)}


def test_predict_the_fair_race_then_shorten_it_and_read_the_table(page, app_url):
    page.goto(f"{app_url}/tuning")
    wait_for_app(page)
    box = page.locator(".st-key-predict_tuning_fair_box")
    box.scroll_into_view_if_needed()
    box.get_by_role("button", name="Predict again").click()  # a fresh prediction
    wait_until_idle(page)  # the prediction's form is open: not yet revealed
    box.get_by_text("A rival ends lower", exact=True).click()
    box.get_by_role("button", name="Lock in my prediction").click()
    box.get_by_text("Right.").wait_for()
    wait_for_app(page)
    assert "SGD + momentum (0.9) ends 1,580 times lower than Adam" in box.inner_text()
    before = table(page)
    assert before["Adam"][1:5] == ["0.2", "0.000761", "0.886", "4.47e-06"]
    slider = page.locator('input[type=range][aria-label="Steps in every run"]')
    slider.focus()
    page.keyboard.press("Home")  # the shortest race: 100 steps
    page.wait_for_function("() => location.search.includes('race_steps=100')")
    wait_for_app(page)
    after = table(page)
    assert set(after) == set(before) and after["Adam"][4] != before["Adam"][4]
    assert all(cell and cell != "nan" for row in after.values() for cell in row)
    assert page.locator('[data-testid="stException"]').count() == 0
