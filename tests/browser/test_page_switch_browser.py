"""Settings survive switching pages in the sidebar, in a real browser.

AppTest cannot show this: it does not run the browser's side of a page switch (the
query string is dropped, and the new page's widgets are new widgets). For every pair
of pages that share a control, the learner changes every shared control on the first
page, switches in the sidebar, finds the same values on the second page, and finds
them again after switching back.
"""
import pytest

from explainers import bias_correction as bc
from explainers import family_tree as ft
from explainers import one_step_by_hand as oc
from explainers import own_landscape as pg
from explainers import tuning as tc
from explainers import warmup as wu
from explainers import what_breaks as bk
from explainers.lessons import by_url_path
from explainers.race import controls as hc

from .conftest import wait_for_app
from .server import learner

SPECS = {
    "foggy-hiker": hc.SPECS,
    "own-landscape": pg.MAP_SPECS + tuple(s for s in hc.SPECS if s is not hc.SURFACE),
    "bias-correction": bc.SPECS,
    "one-step-by-hand": oc.SPECS,
    "tuning": tc.SPECS,
    "warmup": wu.SPECS,
    "family-tree": ft.SPECS,
}
PAIRS = [("foggy-hiker", "own-landscape"), ("foggy-hiker", "one-step-by-hand"),
         ("foggy-hiker", "bias-correction"), ("foggy-hiker", "tuning"),
         ("tuning", "foggy-hiker"), ("bias-correction", "own-landscape"),
         ("own-landscape", "bias-correction"), ("one-step-by-hand", "bias-correction"),
         ("warmup", "foggy-hiker"), ("family-tree", "foggy-hiker")]

# The value a learner sees in a control, by its label: a slider's shown value, a number
# box's or a select box's text, a toggle's "true" or "false".
READ_JS = """(label) => {
  const q = (sel) => document.querySelector(sel);
  const range = q(`[data-testid="stMain"] input[type=range][aria-label="${label}"], `
                  + `[data-testid="stSidebar"] input[type=range][aria-label="${label}"]`);
  if (range) return range.getAttribute('aria-valuetext');
  const box = q(`input[aria-label="${label}"]`);
  if (!box) return null;
  return box.type === 'checkbox' ? String(box.checked) : box.value;
}"""


def shared(a: str, b: str):
    """Pairs (spec on page a, spec on page b) of the controls both pages offer."""
    other = {spec.key: spec for spec in SPECS[b]}
    return [(spec, other[spec.key]) for spec in SPECS[a] if spec.key in other]


def switch(page, path: str) -> None:
    """Click the page in the sidebar and wait until it is drawn (its title is on screen)."""
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
    page.wait_for_url(f"**/{path}*")
    page.locator("h1", has_text=by_url_path(path).heading).first.wait_for()
    wait_for_app(page)


def same(shown: str, expected: str) -> bool:
    try:
        return float(shown) == pytest.approx(float(expected))
    except (TypeError, ValueError):
        return shown == expected


def change(page, label: str) -> None:
    """Move a control away from its value as a learner would: arrow keys on a slider,
    a new number in a box, another option in a select box."""
    range_input = page.locator(f'input[type=range][aria-label="{label}"]')
    if range_input.count():
        before = page.evaluate(READ_JS, label)
        range_input.first.focus()
        page.keyboard.press("ArrowLeft")
        if page.evaluate(READ_JS, label) == before:  # at the left end already
            page.keyboard.press("ArrowRight")
    else:
        box = page.locator(f'input[aria-label="{label}"]').first
        if box.get_attribute("type") == "checkbox":  # a toggle: click its label
            page.locator("label").filter(has=box).click()
        elif box.get_attribute("role") == "combobox":  # a select box: pick the next option
            box.click()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
        else:
            now = box.input_value()
            box.fill(str(round(float(now) + 0.25, 3)) if "." in now else str(int(now) + 1))
            box.press("Enter")
    page.wait_for_timeout(300)
    wait_for_app(page)


@pytest.mark.parametrize("first,second", PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_shared_settings_survive_a_sidebar_switch(browser, app_url, first, second):
    context = learner(browser, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_url}/{first}")
    wait_for_app(page)
    pairs = shared(first, second)
    assert pairs
    for spec, _ in pairs:
        if spec.key not in ("f", "view", "racers"):  # drawn elsewhere / multi-valued
            change(page, spec.label)
    chosen = {spec.key: page.evaluate(READ_JS, spec.label) for spec, _ in pairs}
    changed = {key for key in chosen if key not in ("f", "view", "racers")}
    assert all(key in page.url for key in changed), page.url

    switch(page, second)
    assert page.locator('[data-testid="stException"]').count() == 0
    for spec, theirs in pairs:
        shown = page.evaluate(READ_JS, theirs.label)
        assert same(shown, chosen[spec.key]), (second, spec.key, shown, chosen[spec.key])

    switch(page, first)
    for spec, _ in pairs:
        shown = page.evaluate(READ_JS, spec.label)
        assert same(shown, chosen[spec.key]), (first, spec.key, shown, chosen[spec.key])
    assert all(key in page.url for key in changed), page.url
    context.close()


def test_reddis_betas_are_its_own(page, app_url):
    """Lesson 8's β₁, β₂ and α belong to Reddi's counterexample: the hiker's do not
    carry over, and lesson 8's do not carry back."""
    page.goto(f"{app_url}/foggy-hiker")
    wait_for_app(page)
    change(page, hc.BETA2.label)
    hiker_beta2 = page.evaluate(READ_JS, hc.BETA2.label)
    switch(page, "what-breaks")
    assert same(page.evaluate(READ_JS, bk.BETA2.label), str(bk.BETA2.default))
    change(page, bk.BETA2.label)
    switch(page, "foggy-hiker")
    assert page.evaluate(READ_JS, hc.BETA2.label) == hiker_beta2


def test_one_history_entry_per_page_and_back_restores_the_page(page, app_url):
    """Moving sliders rewrites the link without adding history entries, so Back goes
    to the previous page, as it was left."""
    page.goto(f"{app_url}/foggy-hiker")
    wait_for_app(page)
    entries = page.evaluate("history.length")
    for _ in range(3):
        change(page, hc.BETA1.label)
    left_at = page.evaluate(READ_JS, hc.BETA1.label)
    assert "beta1=" in page.url and page.evaluate("history.length") == entries
    switch(page, "bias-correction")
    change(page, bc.STEPS.label)
    assert page.evaluate("history.length") == entries + 1
    page.go_back()
    page.wait_for_url("**/foggy-hiker*")
    wait_for_app(page)
    # Back reruns the page: wait for its slider, then check it shows the value left there
    page.wait_for_function(f"() => ({READ_JS})({hc.BETA1.label!r}) !== null")
    assert page.evaluate(READ_JS, hc.BETA1.label) == left_at
