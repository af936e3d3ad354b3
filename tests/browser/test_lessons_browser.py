"""A person on lessons 3 and 4: clicks a button and a switch, reads the numbers."""
from .conftest import main_text, wait_for_app


def test_bias_switch_changes_the_first_step(page, app_url):
    page.goto(f"{app_url}/bias-correction")
    wait_for_app(page)
    assert "the first step is 1 α" in main_text(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("Bias correction", exact=True).click()
    page.wait_for_function("() => document.body.innerText.includes('first step is 3.162 α')")
    wait_for_app(page)
    text = main_text(page)
    assert "Switches: no correction" in text
    assert "bc=0" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0


def test_one_step_by_hand_shows_the_seed_and_steps_on(page, app_url):
    page.goto(f"{app_url}/one-step-by-hand")
    wait_for_app(page)
    text = main_text(page)
    assert "θ₁ -0.001" in text and "θ₂ +0.001" in text and "θ₃ -0.001" in text
    page.get_by_role("button", name="Take step 2").click()
    page.wait_for_function("() => document.body.innerText.includes('Step t = 2')")
    wait_for_app(page)
    assert "g=" in page.url and ";" in page.url.split("g=")[1].replace("%3B", ";")
