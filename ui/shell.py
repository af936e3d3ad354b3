"""The app's frame: page settings, the navigation, presenter mode, the live class and the
invisible helpers every page needs. app.py draws it and runs the page it returns."""
from __future__ import annotations

import streamlit as st

from explainers.app_controls import PRESENT
from explainers.lessons import HOME, LESSONS, PLAYGROUND, REVIEW
from ui import live_class, progress, screen, slides
from ui.url_sync import one_history_entry_per_page, remember, restore_app_wide

BUILT = [lesson for lesson in LESSONS if lesson.built]
PAGES = "_pages"  # the session's st.Page objects, and the lesson titles they were made with


def _pages(titles: tuple[str, ...]) -> dict:
    """The navigation's pages, made once per session (each st.Page resolves its file on the
    disk: 7% of a rerun under load) and again when a lesson's title changes (✓ finished).
    Kept per session, not shared: st.navigation marks the page it runs on the object."""
    kept = st.session_state.get(PAGES)
    if kept is None or kept[0] != titles:
        home = st.Page(HOME.page, title="Start here", default=True)
        lessons = [st.Page(lesson.page, url_path=lesson.url_path, title=title)
                   for lesson, title in zip(BUILT, titles)]
        review = st.Page(REVIEW.page, title=REVIEW.title, url_path=REVIEW.url_path)
        playground = st.Page(PLAYGROUND.page, title=PLAYGROUND.title,
                             url_path=PLAYGROUND.url_path)
        kept = titles, {"Adam, step by step": [home, review], "Lessons": lessons,
                        "Try it yourself": [playground]}
        st.session_state[PAGES] = kept
    return kept[1]


def frame():
    """Draw the frame and return the page this run shows (``st.navigation``'s choice)."""
    presenting = (st.query_params.get(PRESENT.key) == "1"
                  or st.session_state.get(PRESENT.key, False))
    st.set_page_config(page_title="Adam, step by step", layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    progress.keep()  # before the navigation: its titles mark the lessons finished
    page = st.navigation(_pages(tuple(("✓ " if progress.finished(lesson) else "")
                                      + lesson.heading for lesson in BUILT)),
                         expanded=True)  # every lesson in sight, not "View 3 more"

    restore_app_wide([PRESENT])
    st.sidebar.toggle(PRESENT.label, key=PRESENT.key,
                      help="Larger type and figures for a projector; animations play slowly.")
    presenting = st.session_state[PRESENT.key]
    if presenting:  # type sized to the screen, the Back / Next keys
        st.html(slides.SLIDES_CSS)
        slides.keys()
    else:
        slides.leave()
    remember([PRESENT])
    screen.watch(heights=presenting)
    one_history_entry_per_page()
    live_class.show(presenting)
    return page
