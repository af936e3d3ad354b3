"""Presenter mode's slides: a lesson shown one screen at a time.

A lesson page is written once, top to bottom, and marks its sections:

    if page.slide("The race"):     # always True on the normal page
        ... the section ...

In presenter mode only the current slide's section is drawn, under a one-line heading
(the lesson and the slide's title), with the slide number and Back / Next buttons beside
it. Right / left arrow keys and Page Down / Page Up (what a presenter's clicker sends)
move on and back; the slide number is in the link (``?slide=3``), so a shared link opens
the same slide, and a lesson the presenter comes back to (by Back, or the sidebar) opens
at the slide they left it on. Every section still runs its computations (cached): only
the drawing is skipped, so the page counts its slides on every run.

Type is sized to the screen's height (``html { font-size: 100vh / 36 }``: 20 px at 720
pixels, 30 px at 1080), so a slide that fits a 1280 x 720 projector fits a 1920 x 1080
one the same way. Figures are sized in pixels by the server, from the height the browser
reports (ui/screen.py): :func:`figure_height`.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explainers.safe_text import code_span
from ui.browser_js import WHEN_IDLE
from ui.screen import viewport_height

KEY = "slide"  # the slide number's name in the link
#: {"page": script hash, "at": slide number, "count": slides last run, "left": {page: slide}}
STATE = "_slides"
#: the root font size of presenter mode: 36 lines of type per screen height
ROOT_FONT_VH = 100 / 36
#: what a slide keeps for its heading, the gaps and the Back / Next bar, in rem
CHROME_REM = 5.2

SLIDES_CSS = f"""<style>
html {{ font-size: {ROOT_FONT_VH:.4f}vh; }}
[data-testid="stHeader"] {{ background: transparent; height: 2.6rem; }}
[data-testid="stMainBlockContainer"] {{ max-width: 100%; padding: 0.6rem 3rem 0 3rem; }}
[data-testid="stMarkdownContainer"] :is(p, li) {{ font-size: 1.1rem; }}
.st-key-slide_heading {{ padding: 0 2rem 0 1.6rem; flex-wrap: nowrap; }}
.st-key-slide_heading > div:first-child {{ flex: 1 1 auto !important; min-width: 0;
  width: auto !important; max-width: none !important; }}
.st-key-slide_heading > [data-testid="stLayoutWrapper"] {{ flex: 0 0 auto;
  width: auto !important; }}
.st-key-slide_heading h3 {{ padding: 0; font-size: 1.25rem; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.st-key-slide_nav {{ width: auto; flex: 0 0 auto; margin-left: auto; flex-wrap: nowrap; }}
.st-key-slide_nav button {{ min-height: 1.9rem; padding: 0 0.6rem; }}
.st-key-slide_nav p {{ margin: 0; white-space: nowrap; }}
</style>"""

_KEYS_JS = WHEN_IDLE + """
export default function(component) {
  const { setTriggerValue } = component;
  const moves = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
  const busy = (el) => el && el.closest && el.closest(
    'input, textarea, select, [contenteditable="true"], [role="slider"], [role="listbox"], '
    + '[role="combobox"], [role="radiogroup"], [role="tablist"], .js-plotly-plot');
  const onKey = (event) => {
    const move = moves[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey || busy(event.target)) return;
    event.preventDefault();
    whenIdle(() => setTriggerValue(move > 0 ? "forward" : "back", move));
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}
"""
_keys = st.components.v2.component("adam_slide_keys", js=_KEYS_JS)


def _state() -> dict:
    return st.session_state.setdefault(STATE, {"page": None, "at": 1, "count": 0, "left": {}})


def _move(by: int) -> None:
    """Go ``by`` slides on or back, within the slides the page had on its last run."""
    state = _state()
    state["at"] = max(1, min(state["at"] + by, max(state["count"], 1)))


def keys() -> None:
    """Mount (invisibly) the listener for the arrow keys and a clicker's keys; call once
    per run in presenter mode, from the frame."""
    with st.sidebar:
        _keys(key="slide_keys", height=0, on_forward_change=lambda: _move(1),
              on_back_change=lambda: _move(-1))


def figure_height(reserve_rem: float = 2.5) -> int:
    """The pixel height a slide's figure may take: the screen's height less the slide's
    heading and bar and ``reserve_rem`` for what the slide shows besides (a caption)."""
    root = viewport_height() * ROOT_FONT_VH / 100
    return int(viewport_height() - (CHROME_REM + reserve_rem) * root)


def font_scale() -> float:
    """How much larger a figure's type is on this screen than at 720 pixels."""
    return viewport_height() / 720


class Deck:
    """The slides of one run of a lesson page: which one is shown, how many there are."""

    def __init__(self, heading: str, short: str, problems: list[str]):
        state = _state()
        here = get_script_run_ctx().page_script_hash
        if state["page"] != here:  # entered: the link says where, else where they left it
            state["left"][state["page"]] = state["at"]
            state.update(page=here, at=_slide_in_link(problems, state["left"].get(here, 1)),
                         count=0)
        self.heading, self.short = heading, short  # the first slide's, the others'
        self.at = state["at"]
        self.count = 0
        self._nav = None  # where the Back / Next bar goes, beside the slide's heading

    def slide(self, title: str) -> bool:
        """Count a slide; whether it is the one shown (then its heading is drawn)."""
        self.count += 1
        if self.count != self.at:
            return False
        with st.container(key="slide_heading", horizontal=True, vertical_alignment="center",
                          horizontal_alignment="distribute"):
            st.markdown(f"### {self.heading if self.at == 1 else self.short} · {title}")
            self._nav = st.empty()
        return True

    def finish(self) -> None:
        """After the last slide: keep the count for the keys, put the slide number in the
        link, draw the Back / Next bar; a number past the end shows the last slide."""
        state = _state()
        state["count"] = self.count
        if self.at > self.count > 0:
            state["at"] = self.count
            st.rerun()
        st.query_params[KEY] = str(self.at)
        if self._nav is None:
            return
        with self._nav.container(key="slide_nav", horizontal=True, vertical_alignment="center"):
            st.button("Back", key="slide_back", icon=":material/arrow_back:",
                      disabled=self.at <= 1, on_click=_move, args=(-1,))
            st.markdown(f"**{self.at} / {self.count}**")
            st.button("Next", key="slide_next", icon=":material/arrow_forward:",
                      disabled=self.at >= self.count, on_click=_move, args=(1,))


def _slide_in_link(problems: list[str], otherwise: int) -> int:
    text = st.query_params.get(KEY)
    if text is None:
        return otherwise
    if text.isdigit() and int(text) >= 1:
        return int(text)
    problems.append(f"Slide: the link says {code_span(text[:40])}, but a slide is named by "
                    "its number (1, 2, ...): the first slide is shown.")
    return 1


def leave() -> None:
    """Out of presenter mode: no slide number in the link."""
    if KEY in st.query_params:
        del st.query_params[KEY]


#: what a slide of prose holds at presenter mode's type (about 17 lines of 110 characters,
#: less the room the breaks and equations below are counted for)
PROSE_BUDGET = 1700
_MATH_COST = 260  # a displayed equation: a few lines' height
_BREAK_COST = 90  # a paragraph's gap, a list item's start, a table row's padding
CAPTION_LINE = 120  # characters of a caption per line on a slide
CAPTION_LINE_REM = 1.35


def prose_parts(markdown: str, budget: int = PROSE_BUDGET) -> list[str]:
    """Markdown cut at paragraph breaks into parts that each fit a slide (a displayed
    equation is never cut, nor a sentence ending in a colon or a bold heading from what it
    introduces, nor a sentence from its end after a list; a
    table longer than a slide is cut between its rows, each part under its header; a
    paragraph longer than a slide is a part of its own)."""
    blocks: list[str] = []
    for block in markdown.strip().split("\n\n"):
        last = blocks[-1].strip() if blocks else ""
        if blocks and (last.count("$$") % 2 or last.endswith(":") or _is_heading(last)
                       or block[:1].islower()):  # a sentence going on after a list
            blocks[-1] += "\n\n" + block
        else:
            blocks.extend(_table_parts(block, budget))
    parts, cost = [], 0
    for block in blocks:
        size = _cost(block)
        if parts and cost + size <= budget:
            parts[-1] += "\n\n" + block
            cost += size
        else:
            parts.append(block)
            cost = size
    return parts


def _is_heading(block: str) -> bool:
    """A line of bold standing alone (``**Things to try**``): it heads what follows."""
    return "\n" not in block and block.startswith("**") and block.endswith("**")


def _cost(block: str) -> int:
    rows = sum(1 for line in block.split("\n")[1:]  # a table's, its header's rule left out
               if line.startswith("|") and set(line) - set("|:- "))
    return (len(block) + _BREAK_COST * (1 + block.count("\n- ") + rows) +
            _MATH_COST * (block.count("$$") // 2))


def _table_parts(block: str, budget: int) -> list[str]:
    """A Markdown table longer than a slide as a few tables of about equal numbers of
    rows, each under the same header; any other block as it is."""
    lines = block.split("\n")
    if (_cost(block) <= budget or len(lines) < 4
            or not all(line.lstrip().startswith("|") for line in lines)):
        return [block]
    head, rows = lines[:2], lines[2:]
    count = min(len(rows), -(-_cost(block) // budget))
    cuts = [len(rows) * i // count for i in range(count + 1)]
    return ["\n".join(head + rows[a:b]) for a, b in zip(cuts, cuts[1:])]


def caption_rem(text: str, share: float = 1.0) -> float:
    """The height (rem) a caption of ``text`` takes on a slide, its gap included, in a
    column ``share`` of the slide's width."""
    return 1 + CAPTION_LINE_REM * -(-len(text) // int(CAPTION_LINE * share))
