"""A person on the foggy hiker page: moves a slider, presses play, sees the chart change."""
import time

from .conftest import wait_for_app
from .server import MARKER_JS, ROUTE_JS


def open_hiker(page, app_url, query=""):
    page.goto(f"{app_url}/foggy-hiker{query}")
    wait_for_app(page)
    page.wait_for_function(f"() => ({ROUTE_JS})('Adam') !== null")


def test_slider_redraws_the_race_and_play_moves_the_racers(page, app_url):
    open_hiker(page, app_url)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "2. The foggy hiker" in nav and "Start here" in nav
    before = page.evaluate(ROUTE_JS, "Adam")

    slider = page.locator('input[type="range"][aria-label="α for Adam and the adaptive racers"]')
    # the browser's report of the stored progress reran the page: the widget shows the value
    # the server holds, not its first option
    assert slider.get_attribute("aria-valuetext") == "0.2"
    slider.focus()
    started = time.perf_counter()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"(old) => JSON.stringify(({ROUTE_JS})('Adam')) !== JSON.stringify(old)",
                           arg=before)
    redraw_s = time.perf_counter() - started
    wait_for_app(page)
    assert "alpha=0.1" in page.url  # the control is in the link
    print(f"slider key press to redrawn chart: {redraw_s * 1000:.0f} ms")

    start_marker = page.evaluate(MARKER_JS, "Adam")
    plot = '[data-testid="stPlotlyChart"] .js-plotly-plot'
    landscape = f"{plot} .imagelayer image, {plot} .contourlayer path"  # however it is drawn
    assert page.locator(landscape).count() > 0
    page.get_by_text("Play", exact=True).click()
    page.wait_for_timeout(2500)
    moved = page.evaluate(MARKER_JS, "Adam")
    assert moved != start_marker
    assert page.locator(landscape).count() > 0  # the map is still under the racers
    assert page.locator('[data-testid="stException"]').count() == 0


def test_diverging_sgd_is_marked_and_the_others_race_on(page, app_url):
    open_hiker(page, app_url, "?alpha_sgd=0.01")
    text = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert "diverged at step" in text
    assert "NaN" not in text and "nan" not in text.split()
    adam = page.evaluate(ROUTE_JS, "Adam")
    assert adam and all(v is not None for v in adam)


def test_garbage_in_the_link_gives_a_notice(page, app_url):
    open_hiker(page, app_url, "?beta1=banana&surface=nowhere")
    warning = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "β₁" in warning and "banana" in warning and "Landscape" in warning
    assert page.locator('[data-testid="stException"]').count() == 0


def test_click_on_the_map_sets_the_start(page, app_url):
    open_hiker(page, app_url)
    area = page.locator('.js-plotly-plot .nsewdrag[data-subplot="xy"]').first
    area.scroll_into_view_if_needed()  # below the prediction and its answer
    box = area.bounding_box()
    # Rosenbrock's map spans x in [-2, 2] and y in [-1, 3]: its centre is (0, 1)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('x0=0')", timeout=30_000)
    wait_for_app(page)
    assert page.locator('input[aria-label="Start x"]').input_value() == "0.000"
    assert page.locator('input[aria-label="Start y"]').input_value() == "1.000"
    route = page.evaluate(ROUTE_JS, "Adam")
    n = len(route) // 2
    assert (route[0], route[n]) == (0, 1)


def test_the_map_answers_hover_anywhere_but_draws_few_shapes(page, app_url):
    open_hiker(page, app_url)
    area = page.locator('.js-plotly-plot .nsewdrag[data-subplot="xy"]').first
    area.scroll_into_view_if_needed()  # below the prediction and its answer
    box = area.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.wait_for_function("() => document.querySelector('.hoverlayer')?.textContent"
                           ".includes('click to start here')")
    hover = page.evaluate("() => document.querySelector('.hoverlayer').textContent")
    assert "loss" in hover and "(" in hover
    # the click grid (41 x 41 points) answers hover and clicks without drawing every point:
    # thousands of invisible markers would slow every redraw by about 200 ms
    points = page.evaluate("() => document.querySelectorAll("
                           "'[data-testid=\"stPlotlyChart\"] .scatterlayer .point').length")
    assert points < 100
