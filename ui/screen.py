"""What only the browser knows: is the screen narrow (a phone), and has the reader asked
for reduced motion? A tiny ``st.components.v2`` component reads two CSS media queries
and reports them to the server, so the pages can lay figures out for a phone and keep
animations still.

The component reports only a change from what the server believes (both ``False`` to
start), so a wide screen without the motion setting costs no extra rerun.
"""
from __future__ import annotations

import streamlit as st

from ui.browser_js import WHEN_IDLE
from ui.url_sync import browser_reported

KEY = "screen"
NARROW_MAX_PX = 640  # Streamlit stacks columns below this width too
QUERIES = {"narrow": f"(max-width: {NARROW_MAX_PX}px)",
           "reduced_motion": "(prefers-reduced-motion: reduce)"}
_UNKNOWN = {name: False for name in QUERIES}
HEIGHT_STEP = 60  # px: the screen's height is reported rounded down to this, in presenter mode
ASSUMED_HEIGHT = 720  # px: until the browser has said (the common classroom projector)

_JS = WHEN_IDLE + """
export default function(component) {
  const { data, setStateValue } = component;
  const lists = Object.entries(data.queries).map(([name, q]) => [name, window.matchMedia(q)]);
  const step = data.heightStep;
  const report = () => {
    const now = Object.fromEntries(lists.map(([name, list]) => [name, list.matches]));
    if (step) now.height = Math.max(step, Math.floor(window.innerHeight / step) * step);
    if (Object.keys(now).some((name) => now[name] !== data.known[name])) {
      setStateValue("media", now);
    }
  };
  const cancel = whenIdle(report);
  lists.forEach(([, list]) => list.addEventListener("change", report));
  let timer = null;
  const resized = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
  if (step) window.addEventListener("resize", resized);
  return () => {
    cancel();
    clearTimeout(timer);
    lists.forEach(([, list]) => list.removeEventListener("change", report));
    window.removeEventListener("resize", resized);
  };
}
"""
_component = st.components.v2.component("adam_screen", js=_JS)

#: Streamlit's own motion (spinners, expanders, fades) off when the reader asks for it
REDUCED_MOTION_CSS = """<style>
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation-duration: 0.01ms !important;
    animation-iteration-count: 1 !important; transition-duration: 0.01ms !important;
    scroll-behavior: auto !important; }
}
</style>"""


def _media() -> dict:
    try:
        media = st.session_state[KEY]["media"]
    except (KeyError, TypeError):
        return _UNKNOWN
    return media if isinstance(media, dict) else _UNKNOWN


def watch(heights: bool = False) -> None:
    """Mount the reporter (invisible, in the sidebar) and the reduced-motion CSS; call once
    per run, from app.py. ``heights``: report the screen's height too (presenter mode sizes
    its slides' figures by it)."""
    with st.sidebar:
        _component(key=KEY, data={"queries": QUERIES, "known": _media(),
                                  "heightStep": HEIGHT_STEP if heights else 0},
                   default={"media": _UNKNOWN}, on_media_change=browser_reported, height=0)
    st.html(REDUCED_MOTION_CSS)


def narrow() -> bool:
    """Whether the browser window is phone-narrow (at most 640 CSS pixels)."""
    return bool(_media().get("narrow"))


def reduced_motion() -> bool:
    """Whether the reader's system asks for reduced motion."""
    return bool(_media().get("reduced_motion"))


def viewport_height() -> int:
    """The browser window's height in CSS pixels, rounded down to a multiple of 60, as
    reported in presenter mode (720 until then)."""
    height = _media().get("height")
    return int(height) if isinstance(height, (int, float)) and height >= HEIGHT_STEP \
        else ASSUMED_HEIGHT
