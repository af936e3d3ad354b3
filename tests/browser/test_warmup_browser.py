"""Lessons 5 and 10 in a browser, and the code to take away: the learner shapes the schedule
with the keyboard and the chart, its caption and the link follow; then on to Adam's family,
whose race plays; the code to take away opens in each framework's tab."""
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
    longest = f"{wu.WARMUP.high:,}"
    page.wait_for_function(f"() => document.body.innerText.includes('warmup over {longest} steps')")
    wait_for_app(page)
    assert f"warmup={wu.WARMUP.high}" in page.url
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


def test_the_code_to_take_away_opens_in_each_framework(page, app_url):
    page.goto(f"{app_url}/one-step-by-hand")
    wait_for_app(page)
    page.get_by_text("Take the code: PyTorch, optax, Keras").click()
    assert "torch.optim.Adam(" in main_text(page)
    page.get_by_role("tab", name="optax").click()
    page.wait_for_function("() => document.body.innerText.includes('optax.adam(')")
    page.get_by_role("tab", name="Keras").click()
    page.wait_for_function("() => document.body.innerText.includes('keras.optimizers.Adam(')")
    assert page.locator('[data-testid="stException"]').count() == 0
