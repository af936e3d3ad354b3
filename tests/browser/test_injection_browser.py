"""A link cannot put words, links or pictures in the app's mouth.

A teacher shares links with a class. Markdown, HTML and LaTeX fed through every URL
parameter of every page must come out as plain characters: no link, image, heading,
bold text or formula made of them, and no request to the address they name.
"""
from urllib.parse import quote, urlparse

import pytest

from explainers import bias_correction as bc
from explainers import one_learning_rate as orc
from explainers import one_step_by_hand as osc
from explainers import own_landscape as pg
from explainers import paper_reproduced as pc
from explainers import tuning as tc
from explainers import what_breaks as bk
from explainers import where_it_leads as lc
from explainers.app_controls import PRESENT
from explainers.race import controls as hc

from .conftest import wait_for_app
from .server import learner

PARAMETERS = {
    "": (),
    "one-learning-rate": orc.SPECS,
    "foggy-hiker": hc.SPECS,
    "one-step-by-hand": osc.SPECS,
    "bias-correction": bc.SPECS,
    "paper-reproduced": pc.SPECS,
    "tuning": tc.SPECS,
    "what-breaks": bk.SPECS,
    "where-it-leads": lc.SPECS,
    "own-landscape": pg.MAP_SPECS + hc.SPECS,
}
MARK = "PWNED"
PAYLOADS = [
    f"[{MARK}](https://example.org/link)",
    f"![{MARK}](https://example.org/image.png)",
    f"x**2 # ` [{MARK}](https://example.org/comment)",
    f"\n# {MARK} heading",
    f"<img src=https://example.org/html.png><b>{MARK}</b>",
    f"$\\href{{https://example.org/katex}}{{{MARK}}}$ **{MARK}**",
]
# Elements the payloads must never become, and any element carrying their address.
FOUND_JS = """(mark) => {
  const main = document.querySelector('[data-testid="stApp"]');
  const made = Array.from(main.querySelectorAll('a, img, h1, h2, h3, h4, h5, h6, strong, b, '
                                                 + 'em, .katex, [data-testid="stHeading"]'))
    .filter(e => (e.innerText || '').includes(mark) || (e.getAttribute('href') || '')
                 .includes('example.org') || (e.getAttribute('src') || '').includes('example.org'));
  const addressed = Array.from(
    main.querySelectorAll('[href*="example.org"], [src*="example.org"]'));
  return made.concat(addressed).map(e => e.outerHTML.slice(0, 200));
}"""


@pytest.mark.parametrize("path", list(PARAMETERS), ids=lambda p: p or "home")
def test_no_parameter_renders_markdown_html_or_latex(browser, app_url, path):
    context = learner(browser, viewport={"width": 1280, "height": 900})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(60_000)
    keys = [spec.key for spec in PARAMETERS[path]] + [PRESENT.key]
    for payload in PAYLOADS:
        query = "&".join(f"{key}={quote(payload)}" for key in keys)
        page.goto(f"{app_url}/{path}?{query}")
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.evaluate(FOUND_JS, MARK) == [], payload
        if path:  # a page with controls says which values it could not use
            assert "could not be used" in page.locator('[data-testid="stAlert"]').first.inner_text()
    context.close()
    assert not [url for url in requests if urlparse(url).hostname == "example.org"]
