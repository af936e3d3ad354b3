"""Lesson 7 in a browser: clicking a heatmap cell draws that run."""
from .conftest import wait_for_app


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
