"""Lesson 5 in a browser: the learner shapes the schedule with the keyboard and the chart,
its caption and the link follow; then on to Adam's family, whose race plays."""
from explainers import warmup as wu

from .conftest import main_text, wait_for_app
from .server import MARKER_JS


def test_the_warmup_slider_reshapes_the_schedule_and_the_race(page, app_url):
    page.goto(f"{app_url}/warmup")
    wait_for_app(page)
    assert "linear warmup over 100 steps" in main_text(page)
    slider = page.locator(f'input[type=range][aria-label="{wu.WARMUP.label}"]')
    slider.focus()
    page.keyboard.press("End")  # the longest warmup
    page.wait_for_function("() => document.body.innerText.includes('warmup over 1,000 steps')")
    wait_for_app(page)
    assert "warmup=1000" in page.url
    text = main_text(page)
    assert "ends lowest" in text and "NaN" not in text
    assert page.locator('[data-testid="stException"]').count() == 0


def test_from_warmup_to_the_family_and_its_race_plays(page, app_url):
    page.goto(f"{app_url}/warmup")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("10. Adam's family",
                                                             exact=True).click()
    page.wait_for_url("**/family-tree*")
    wait_for_app(page)
    start = page.evaluate(MARKER_JS, "Lion (β 0.9, 0.99)")
    assert start is not None
    page.get_by_text("Play", exact=True).first.click()
    page.wait_for_timeout(2500)
    assert page.evaluate(MARKER_JS, "Lion (β 0.9, 0.99)") != start
    assert "| **Lion** |" not in main_text(page)  # the table is drawn, not its Markdown
    assert "Lion" in main_text(page)
    assert page.locator('[data-testid="stException"]').count() == 0
