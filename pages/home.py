"""Home: a first race to predict, what the app is, and the lesson path with progress."""
import streamlit as st

from explainers import home
from explainers.lessons import LESSONS, PLAYGROUND, REVIEW
from explainers.race.figure import race_figure
from explainers.race.setup import run_race
from ui import progress
from ui.lesson import lesson_page
from ui.page_tools import animation_speed, chart
from ui.quiz import ask
from ui.screen import narrow


@st.cache_data(max_entries=8, show_spinner=False)
def first_race_figure(speed, narrow):
    setup = home.first_race()
    return race_figure(setup, run_race(setup), compact=True, speed=speed, narrow=narrow)


page = lesson_page()
st.markdown(page.text("hook"))
if ask("home", "first_race"):
    chart(first_race_figure(animation_speed(), narrow()), key="first_race")
    st.caption(page.text("race_caption"))
st.markdown(page.text("intro"))

st.subheader("The lesson path")
for lesson in LESSONS:
    with st.container(border=True):
        if lesson.built:
            st.page_link(lesson.page, label=f"Lesson {lesson.number}: {lesson.title}")
        else:
            st.markdown(f"**Lesson {lesson.number}: {lesson.title}** (coming soon)")
        done, right, total = progress.score(lesson)
        state = (page.text("finished", right=right, total=total) if done == total and total
                 else page.text("started", done=done, total=total) if done else "")
        st.caption(f"{lesson.summary} {state}")

due = progress.due()
if due or progress.waiting():
    with st.container(border=True):
        st.page_link(REVIEW.page, label=REVIEW.title)
        st.caption(page.text("review", due=len(due), later=progress.waiting()))

st.subheader("Try it yourself")
with st.container(border=True):
    st.page_link(PLAYGROUND.page, label=PLAYGROUND.title)
    st.caption(PLAYGROUND.summary)
