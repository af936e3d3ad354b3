"""Home: what the app is, and the lesson path."""
import streamlit as st

from explainers.lessons import LESSONS
from explainers.text import lesson_text
from pages.url_sync import restore

st.title("Adam, step by step")
restore(())  # no controls here, but the next page must know the reader was away
st.markdown(lesson_text("home"))

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
    st.page_link("pages/playground.py", label="Playground: your own landscape")
    st.caption("Type any f(x, y) and race every optimizer on it.")
