"""Lesson 2's turned landscape in a browser: a learner predicts, then turns the landscape
with the slider and sees the race redraw and the chart's mark move to the new angle."""
import json

from tests.apptest import all_predicted
from ui.progress import STORAGE_KEY

from .conftest import main_text
from .server import ROUTE_JS, wait_until_idle

ANGLES_JS = """() => {
  const plot = document.querySelector('.st-key-angles .js-plotly-plot');
  if (!plot || !plot._fullLayout) return null;
  const adam = plot._fullData.find(t => t.name === 'Adam');
  return {mark: plot._fullLayout.shapes[0].x0, ring: Array.from(plot._fullData.at(-1).x),
          adam: Array.from(adam.y)};
}"""


def test_predict_then_turn_the_landscape(browser, app_url):
    progress = all_predicted()
    del progress["predictions"]["foggy_hiker/turn"]  # every prediction made but this one
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem({json.dumps(STORAGE_KEY)}, "
                            f"{json.dumps(json.dumps(progress))});")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{app_url}/foggy-hiker")
        predict = page.locator(".st-key-predict_foggy_hiker_turn_box")
        predict.wait_for()
        wait_until_idle(page)
        assert "turn the landscape by 45°" in predict.inner_text()
        assert page.evaluate(ANGLES_JS) is None  # no chart of angles before the prediction

        predict.get_by_text("Adam loses ground to SGD").click()
        predict.get_by_role("button", name="Lock in my prediction").click()
        page.wait_for_function(f"() => ({ANGLES_JS})() !== null")
        wait_until_idle(page)
        assert predict.inner_text().startswith("Predict first")
        assert "Right. You predicted Adam loses ground to SGD" in predict.inner_text()
        before = page.evaluate(ANGLES_JS)
        assert before["mark"] == 0 and before["ring"] == [0, 0]
        route = page.evaluate(ROUTE_JS, "Adam")

        slider = page.locator('input[type="range"][aria-label="Turn the landscape"]')
        assert slider.get_attribute("aria-valuetext") == "0°"
        slider.focus()
        for _ in range(9):  # 5 degrees a stop
            page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('angle=45')")
        page.wait_for_function(f"() => ({ANGLES_JS})()?.mark === 45")
        wait_until_idle(page)
        after = page.evaluate(ANGLES_JS)
        assert after["ring"] == [45, 45]
        # the same runs: from the start turned to the ten digits a link keeps
        # the same runs, to rounding: the chart does not depend on the race's own angle
        assert all(abs(a / b - 1) < 1e-6 for a, b in zip(after["adam"], before["adam"]))
        assert page.evaluate(ROUTE_JS, "Adam") != route  # the race redrew, turned
        assert page.locator('input[aria-label="Start x"]').input_value() == "-1.200"
        text = main_text(page)
        assert ("Rosenbrock's valley turned 45°: every racer starts at (-0.555635, -0.555635)"
                in text)  # (-1.2, 1) turned about the minimum (1, 1)
        assert "this race's angle, 45°" in text and "the angle worst for Adam" in text
        assert "NaN" not in text and page.locator('[data-testid="stException"]').count() == 0

        area = page.locator('.js-plotly-plot .nsewdrag[data-subplot="xy"]').first
        area.scroll_into_view_if_needed()
        box = area.bounding_box()  # the turned map's centre is the map's centre, (0, 1), turned
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("() => location.search.includes('x0=0')")
        wait_until_idle(page)
        assert page.locator('input[aria-label="Start x"]').input_value() == "0.000"
        assert page.locator('input[aria-label="Start y"]').input_value() == "1.000"
        route = page.evaluate(ROUTE_JS, "Adam")
        n = len(route) // 2
        assert abs(route[0] - (1 - 0.5 ** 0.5)) < 1e-9 and abs(route[n] - (1 - 0.5 ** 0.5)) < 1e-9
    finally:
        context.close()
