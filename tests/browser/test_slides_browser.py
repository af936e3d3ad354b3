"""Presenter mode on a projector: every lesson, at 1280 x 720 and at 1920 x 1080, walked
slide by slide with the arrow keys. On each slide nothing needs scrolling, and every
figure (its Play button and step scrubber too) is inside the window; the slide number
follows in the link; the left arrow goes back."""
import re

import pytest

from explainers.lessons import LESSONS

from .server import IDLE_JS, PLOTS_DRAWN_JS, learner, wait_until_idle

SCREENS = {"720p": (1280, 720), "1080p": (1920, 1080)}
LESSON_PATHS = [lesson.url_path for lesson in LESSONS if lesson.built]

#: what a person would have to scroll for, and what of a figure falls outside the window
MEASURE_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const outside = [];
  for (const el of document.querySelectorAll(
      '[data-testid="stMain"] .js-plotly-plot, .js-plotly-plot .updatemenu-container, '
      + '.js-plotly-plot .slider-container')) {
    const r = el.getBoundingClientRect();
    if (r.height && (r.top < -1 || r.bottom > window.innerHeight + 1
                     || r.right > window.innerWidth + 1)) {
      const what = el.getAttribute('class') || 'figure';
      outside.push(`${what} ${Math.round(r.top)}..${Math.round(r.bottom)}`);
    }
  }
  return {overflow: main.scrollHeight - main.clientHeight, outside,
          nav: document.querySelector('.st-key-slide_nav')?.innerText || ''};
}"""


def _position(text: str) -> tuple[int, int]:
    found = re.search(r"(\d+) / (\d+)", text)
    assert found, f"no slide number in {text!r}"
    return int(found.group(1)), int(found.group(2))


def _at(page, number: int) -> None:
    page.wait_for_function(
        "(n) => (document.querySelector('.st-key-slide_nav')?.innerText || '')"
        ".includes(`${n} / `)", arg=number)
    page.wait_for_function(IDLE_JS)
    page.wait_for_function(PLOTS_DRAWN_JS)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("path", LESSON_PATHS)
def test_every_slide_fits_the_projector_and_the_keys_move(browser, app_url, path, screen):
    width, height = SCREENS[screen]
    context = learner(browser, predicted=False, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{app_url}/{path}?present=1")
        wait_until_idle(page)  # the first visit's runs, the browser's reports
        _at(page, 1)
        number, total = _position(page.evaluate(MEASURE_JS)["nav"])
        assert total >= 4  # a story, a prediction's two slides, a check
        problems = []
        while True:
            seen = page.evaluate(MEASURE_JS)
            where = f"slide {number} of {total}"
            if seen["overflow"] > 1:
                problems.append(f"{where} needs scrolling ({seen['overflow']} px)")
            if seen["outside"]:
                problems.append(f"{where}: outside the window: {seen['outside']}")
            assert f"slide={number}" in page.url
            assert page.locator('[data-testid="stException"]').count() == 0, where
            if number == total:
                break
            page.keyboard.press("ArrowRight")
            number += 1
            _at(page, number)
        assert not problems, f"{path} at {width}x{height}: " + "; ".join(problems)
        page.keyboard.press("PageUp")  # a clicker's Back
        _at(page, total - 1)
        assert f"slide={total - 1}" in page.url
    finally:
        context.close()
