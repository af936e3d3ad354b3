"""A page's furniture, drawn the same way on every page: the title (number and title
from the lesson list), the controls seeded from the link, the notice of values that
could not be used, and at the end the link to the demo.

    page = lesson_page(SPECS)       # at the top of pages/<url-path>.py
    ...                             # page.problems.append(...) for a page's own checks
    page.notice()
    ... the lesson ...
    page.publish()

A first visit after the server starts needs one more step. While no script has run
``st.navigation`` yet, Streamlit runs a deep link's page file on its own, the legacy
way for a ``pages/`` folder beside app.py (that is why page files are named by their
URL path: the legacy way finds them). :func:`lesson_page` then draws the app's frame,
which switches Streamlit to app.py's navigation for good, and reruns, so the reader
gets the page as always and never a "page not found" (nor a page without its frame, when
many readers arrive at once).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explainers.app_controls import PRESENT
from explainers.lessons import Lesson, by_url_path
from explainers.text import lesson_text, readable
from ui.controls import control
from ui.page_tools import chart, presenting
from ui.quiz import ask, checks, present
from ui.shell import frame
from ui.slides import Deck, caption_rem, prose_parts
from ui.url_sync import publish, reset_button, restore, show_problems


@dataclass
class LessonPage:
    lesson: Lesson
    specs: tuple
    problems: list[str] = field(default_factory=list)
    deck: Deck | None = None  # presenter mode's slides (ui/slides.py), else None

    def slide(self, title: str) -> bool:
        """Whether to draw the section ``title``: always on the page; in presenter mode
        only when it is the slide shown (each call is the next slide)."""
        return self.deck is None or self.deck.slide(title)

    def text(self, section: str, result=None, **values) -> str:
        """A section of the lesson's Markdown, its placeholders filled from the fields of
        ``result`` (a dataclass of an explainer's results) and from ``values``; numbers
        are written for reading (1,000; 0.0123)."""
        fields = {} if result is None else {f.name: getattr(result, f.name)
                                            for f in dataclasses.fields(result)}
        return lesson_text(self.lesson.module, section,
                           **{k: readable(v) for k, v in {**fields, **values}.items()})

    def prose(self, section: str, title: str, result=None, folded: bool = False,
              **values) -> None:
        """A section of the lesson's Markdown (see :meth:`text`), on the page in an
        expander titled ``title`` if ``folded``; in presenter mode as many slides titled
        ``title`` as it needs to fit (ui.slides.prose_parts)."""
        text = self.text(section, result, **values)
        if self.deck is None:
            with st.expander(title) if folded else st.container():
                st.markdown(text)
            return
        parts = prose_parts(text)
        for number, part in enumerate(parts, 1):
            if self.slide(title if len(parts) == 1 else f"{title} ({number}/{len(parts)})"):
                st.markdown(part)

    def section(self, title: str) -> bool:
        """A titled section: a subheader on the page, a slide of its own in presenter
        mode (see :meth:`slide`, whose heading names it)."""
        if self.deck is not None:
            return self.deck.slide(title)
        st.subheader(title)
        return True

    def figure(self, spec: dict, key: str, caption: str = "", where=None, share: float = 1.0,
               more: float = 0.0, **kwargs):
        """A figure and its caption (in a column ``share`` of the width); on a slide the
        figure leaves the caption its room, and ``more`` rem for what else the slide shows."""
        drawn = chart(spec, key, where, reserve=self.reserve(caption, more, share), **kwargs)
        if caption:
            (where or st).caption(caption)
        return drawn

    def table(self, frame, **kwargs) -> None:
        """A table: interactive on the page (``st.dataframe`` with ``kwargs``); on a slide
        a plain one, whose type grows with the slide's, its numbers written for reading."""
        if self.deck is None:
            st.dataframe(frame, **kwargs)
            return
        shown = frame.style.format(readable)
        st.table(shown.hide(axis="index") if kwargs.get("hide_index") else shown)

    @staticmethod
    def reserve(caption: str = "", more: float = 0.0, share: float = 1.0) -> float:
        """The room (rem) a slide's figure leaves for its caption (in a column ``share``
        of the width) and ``more``."""
        return (caption_rem(caption, share) if caption else 0.5) + more

    def notice(self) -> None:
        """Say which values from the link (or another page) could not be used."""
        show_problems(self.problems)

    def publish(self) -> None:
        """Write the controls into the link, and offer it in the sidebar (in presenter
        mode, after the slides' Back / Next bar)."""
        if self.deck is not None:
            self.deck.finish()
        publish(self.specs)

    def ask(self, prediction: str, **settings):
        """Ask the learner to predict (ui.quiz.ask) before the rest of the page shows:
        until they commit, the page ends here (its link still published). Returns the
        truth, computed for ``settings``. In presenter mode: two slides, the question
        (and the room's answers) and then its answer (ui.quiz.present)."""
        if self.deck is not None:
            return present(self.lesson.module, prediction, self.deck, **settings)
        result = ask(self.lesson.module, prediction, **settings)
        if result is None:
            self.publish()
            st.stop()
        return result

    def checks(self) -> None:
        """The lesson's check section (ui.quiz.checks); in presenter mode two slides a
        question, the question and its answer."""
        checks(self.lesson.module, self.deck)

    def sidebar(self, header: str, specs=None) -> dict:
        """The controls ``specs`` (default: all the page's) under ``header`` in the
        sidebar, the page's reset button, and every control's value by its key."""
        with st.sidebar:
            st.header(header)
            for spec in self.specs if specs is None else specs:
                control(spec)
        reset_button(self.specs)
        return {spec.key: st.session_state[spec.key] for spec in self.specs}


def _framed() -> bool:
    """Whether app.py drew the frame in this run (its presenter toggle is among the run's
    widgets). Not on the legacy way: and while the first sessions after a start run at
    once, one may still be on it after another has switched Streamlit to app.py's
    navigation, so Streamlit's own flag (PagesManager.uses_pages_directory) cannot say."""
    return PRESENT.key in get_script_run_ctx().shared.widget_user_keys_this_run


def _current() -> Lesson:
    ctx = get_script_run_ctx()
    return by_url_path(ctx.pages_manager.get_pages()[ctx.page_script_hash]["url_pathname"])


def lesson_page(specs=()) -> LessonPage:
    """Start a page: its title, its controls restored (see ui.url_sync). Returns the page,
    whose ``problems`` the page may add to before calling ``notice()``."""
    if not _framed():  # a deep link is the server's first visit
        frame()
        st.rerun()
    lesson = _current()
    problems = restore(specs)
    if presenting() and lesson.number is not None:  # a lesson: a sequence of slides
        deck = Deck(lesson.heading, f"Lesson {lesson.number}", problems)
        return LessonPage(lesson, tuple(specs), problems, deck)
    st.title(lesson.heading)
    return LessonPage(lesson, tuple(specs), problems)
