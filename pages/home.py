"""Home: what the app is, and the lesson path."""
import streamlit as st

from explainers.lessons import LESSONS, PLAYGROUND
from ui.lesson import lesson_page

page = lesson_page()
st.markdown(page.text("intro"))

st.subheader("The lesson path")
for lesson in LESSONS:
    with st.container(border=True):
        if lesson.built:
            st.page_link(lesson.page, label=f"Lesson {lesson.number}: {lesson.title}")
        else:
            st.markdown(f"**Lesson {lesson.number}: {lesson.title}** (coming soon)")
        st.caption(lesson.summary)

st.subheader("Try it yourself")
with st.container(border=True):
    st.page_link(PLAYGROUND.page, label=PLAYGROUND.title)
    st.caption(PLAYGROUND.summary)
