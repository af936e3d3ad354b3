"""Keep a page's controls and the URL in step (st.session_state + st.query_params).

Each control has a short URL name (``spec.key``), shared by the pages that offer the
same quantity (β₁ on the hiker, on one step by hand, on bias correction, ...), and a
widget keyed by that name.

When the reader *enters* a page (the first run of a session, a sidebar switch, Back or
Forward), every control is seeded afresh, because Streamlit does not hand a widget's
value over to the next page's widget of the same key (widget ids include the page):

1. from the link, if it names any of this page's controls (a shared link, or Back to a
   URL this app wrote): the link is then the whole state, and a name it leaves out
   stands at its default;
2. else from the value the reader last set for that name on any page (a sidebar switch
   drops the query string);
3. else from the control's default.

Every page calls :func:`restore` first (through ui.lesson.lesson_page, the home page too),
so that it knows the reader has arrived. A value that this page does not allow (out of its
range, not one of its options) is reported and replaced by the default; the reader's
value is kept for the pages that allow it. While the reader stays on a page, the
widgets hold the values.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

SAVED = "_saved_"  # prefix of the last value (URL text) the reader set for a name
SHOWN = "_shown_"  # prefix of the value a page showed at the end of its last run
PAGE = "_page"  # the script hash of the page whose controls were restored last
NOTICE = "_notice"  # what the reader was told on entering the page
REPORTED = "_browser_reported"  # this run was started by a browser component's report
PRIVATE = ("join", "teach")  # a live class's names in the address: not for a shared link


def _entering() -> bool:
    """Whether this is the reader's first run on this page since they were elsewhere
    (every page calls :func:`restore`, through ui.lesson.lesson_page)."""
    here = get_script_run_ctx().page_script_hash
    entering = st.session_state.get(PAGE) != here
    st.session_state[PAGE] = here
    return entering


def _save(spec, value) -> None:
    """Remember a value the reader chose, for the other pages with this name; a default
    is forgotten, so every page then shows its own default."""
    if value == spec.default:
        st.session_state.pop(SAVED + spec.key, None)
    else:
        st.session_state[SAVED + spec.key] = spec.format(value)


def _seed(spec, whole_link: bool) -> str | None:
    """Give a control its value from the link, the reader's last choice or its default;
    return why a value could not be used, if one could not."""
    text = st.query_params.get(spec.key)
    if whole_link or text is not None:
        value, problem = spec.parse(text)
        _save(spec, value)
    elif SAVED + spec.key in st.session_state:
        value, problem = spec.parse(st.session_state[SAVED + spec.key], origin="you set it to")
    else:
        value, problem = spec.default, None
    st.session_state[spec.key] = value
    st.session_state[SHOWN + spec.key] = value
    return problem


def restore(specs) -> list[str]:
    """Seed every control of the page when the reader enters it (see the module
    docstring), and later any control whose state Streamlit dropped (a widget that was
    not drawn). Returns one sentence per value that this page could not use."""
    entering = _entering()
    whole_link = entering and any(spec.key in st.query_params for spec in specs)
    problems = [_seed(spec, whole_link) for spec in specs
                if entering or spec.key not in st.session_state]
    problems = [p for p in problems if p]
    if entering:
        st.session_state[NOTICE] = problems
    elif st.session_state.pop(REPORTED, False):  # the reader has not acted yet
        problems = st.session_state.get(NOTICE, []) + problems
        _resend(specs)
    return problems


def _resend(specs) -> None:
    """Send the widgets their values again. A browser's report can start a run before the
    browser has drawn the widgets of the run that seeded them; it then draws them at their
    first option (a slider at its minimum) while the server holds the seeded value, and
    only a value set in this run is sent along with the widget."""
    for spec in specs:
        if spec.key in st.session_state:
            st.session_state[spec.key] = st.session_state[spec.key]


def browser_reported() -> None:
    """The callback of a component that reports what only the browser knows (the screen,
    the stored progress): the run it starts comes before the reader has done anything, so
    it keeps what the page said on arrival (a notice about the link)."""
    st.session_state[REPORTED] = True


def restore_app_wide(specs) -> list[str]:
    """Seed app.py's own controls (drawn on every page, so kept across switches) when
    they have no state yet."""
    problems = [_seed(spec, False) for spec in specs if spec.key not in st.session_state]
    return [p for p in problems if p]


def show_problems(problems: list[str]) -> None:
    """Say, once, which values could not be used (each quotes its value as a code span)."""
    if problems:
        st.warning("Some settings could not be used here:\n\n- " + "\n- ".join(problems))


def remember(specs) -> None:
    """Keep what the reader changed on this page for the other pages, and write every
    control that differs from its default into the URL (dropping the rest)."""
    for spec in specs:
        value = st.session_state.get(spec.key, spec.default)
        if value != st.session_state.get(SHOWN + spec.key, value):
            _save(spec, value)
        st.session_state[SHOWN + spec.key] = value
        if value == spec.default:
            if spec.key in st.query_params:
                del st.query_params[spec.key]
        elif st.query_params.get(spec.key) != spec.format(value):
            st.query_params[spec.key] = spec.format(value)


def publish(specs) -> None:
    """:func:`remember` the page's controls and offer the link in the sidebar."""
    remember(specs)
    query = urlencode({k: st.query_params[k] for k in st.query_params
                       if k not in PRIVATE})
    with st.sidebar.expander("Copy a link to this demo"):
        st.code(str(st.context.url) + (f"?{query}" if query else ""), language=None,
                wrap_lines=True)
        st.caption("The link reopens this page with every setting as it is now.")


#: Streamlit pushes a browser history entry for every change of the query string, so
#: after moving a few sliders Back seemed to do nothing. In this page's window, a push
#: that keeps the path (a URL write) replaces the entry instead; a new page still adds one.
_ONE_ENTRY_PER_PAGE_JS = """
export default function() {
  if (window.__adamOneEntryPerPage) return;
  window.__adamOneEntryPerPage = true;
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = (state, title, url) => {
    const next = new URL(url, window.location.href);
    if (next.pathname === window.location.pathname) {
      return window.history.replaceState(state, title, url);
    }
    return push(state, title, url);
  };
}
"""
_one_entry_per_page = st.components.v2.component("adam_one_history_entry_per_page",
                                                 js=_ONE_ENTRY_PER_PAGE_JS)


def one_history_entry_per_page() -> None:
    """Mount (invisibly, in the sidebar) the script that keeps one browser history entry
    per page visit; call once per run, from app.py."""
    with st.sidebar:
        _one_entry_per_page(key="one_history_entry_per_page", height=0)


def set_values(values: dict) -> None:
    """Set controls' state, e.g. from a reset button's callback."""
    for key, value in values.items():
        st.session_state[key] = value


def reset_button(specs, label: str = "Reset this page's settings") -> None:
    """A sidebar button that puts every control of the page back to its default."""
    st.sidebar.button(label, key="reset", width="stretch",
                      on_click=set_values, args=({spec.key: spec.default for spec in specs},))
