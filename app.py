"""Adam, step by step: the entry point. It only routes (st.navigation over pages/)."""
import streamlit as st

from explainers.lessons import LESSONS

st.set_page_config(page_title="Adam, step by step", layout="wide")

home = st.Page("pages/home.py", title="Start here", url_path="home", default=True)
lessons = [st.Page(lesson.page, title=f"{lesson.number}. {lesson.title}", url_path=lesson.url_path)
           for lesson in LESSONS if lesson.built]
playground = st.Page("pages/playground.py", title="Playground: your own landscape",
                     url_path="own-landscape")
st.navigation({"Adam, step by step": [home], "Lessons": lessons,
               "Try it yourself": [playground]}).run()
