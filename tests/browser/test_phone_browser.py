"""A reader on a phone who has asked their system for reduced motion."""
import pytest

from .conftest import wait_for_app
from .server import ROUTE_JS, learner

LAYOUT_JS = """() => {
  const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const l = plot && plot._fullLayout;
  if (!l || !l.yaxis3) return null;  // not drawn yet, or not the stacked race yet
  return {map: l.yaxis.domain, table: l.yaxis3 && l.yaxis3.domain,
          loss: l.yaxis2 && l.yaxis2.domain, buttons: l.updatemenus[0].buttons.length,
          width: plot.getBoundingClientRect().width};
}"""


@pytest.fixture
def phone(browser):
    context = learner(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, reduced_motion="reduce")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def test_hiker_on_a_phone_stacks_the_panels_and_keeps_still(phone, app_url):
    phone.goto(f"{app_url}/foggy-hiker")
    wait_for_app(phone)
    phone.wait_for_function(f"() => ({ROUTE_JS})('Adam') !== null")
    # the first run does not know the screen yet; the screen component's report reruns it
    phone.wait_for_function(f"() => {{ const l = ({LAYOUT_JS})();"
                            " return l !== null && l.table[1] < l.map[0]; }")
    layout = phone.evaluate(LAYOUT_JS)
    assert layout["width"] <= 390
    # the numbers and then the loss chart sit below the map, none overlapping
    assert layout["loss"][1] < layout["table"][0] < layout["table"][1] < layout["map"][0]
    # reduced motion: the race does not play (scrub only), and the page says why
    assert layout["buttons"] == 0
    text = phone.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert "reduced motion" in text and "Drag the step slider" in text
    assert phone.locator('[data-testid="stException"]').count() == 0


def test_two_panel_figures_stack_on_a_phone(phone, app_url):
    phone.goto(f"{app_url}/one-learning-rate")
    wait_for_app(phone)
    domains_js = """() => {
      const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
      const l = plot && plot._fullLayout;
      return l && l.xaxis2 ? [l.xaxis.domain, l.xaxis2.domain, l.yaxis.domain, l.yaxis2.domain]
                           : null;
    }"""
    phone.wait_for_function(f"() => {{ const d = ({domains_js})(); return d && d[0][1] === 1; }}")
    domains = phone.evaluate(domains_js)
    x1, x2, y1, y2 = domains
    assert x1 == x2 == [0, 1]  # each panel has the full width
    assert y2[1] < y1[0]  # the second panel sits below the first
    # no toolbar over the legends and titles on a phone
    assert phone.locator('[data-testid="stPlotlyChart"] .modebar-container .modebar').count() == 0
