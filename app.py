"""Adam, step by step: the entry point. It routes (st.navigation over pages/) and holds the
one app-wide control, presenter mode."""
import streamlit as st

from explainers.app_controls import PRESENT
from explainers.lessons import LESSONS
from pages import screen
from pages.page_tools import PRESENTER_CSS
from pages.url_sync import one_history_entry_per_page, remember, restore_app_wide

presenting = st.query_params.get(PRESENT.key) == "1" or st.session_state.get(PRESENT.key, False)
st.set_page_config(page_title="Adam, step by step", layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")

home = st.Page("pages/home.py", title="Start here", default=True)
lessons = [st.Page(lesson.page, title=f"{lesson.number}. {lesson.title}", url_path=lesson.url_path)
           for lesson in LESSONS if lesson.built]
playground = st.Page("pages/playground.py", title="Playground: your own landscape",
                     url_path="own-landscape")
page = st.navigation({"Adam, step by step": [home], "Lessons": lessons,
                      "Try it yourself": [playground]})

restore_app_wide([PRESENT])
st.sidebar.toggle(PRESENT.label, key=PRESENT.key,
                  help="Larger type and figures for a projector; animations play slowly.")
if st.session_state[PRESENT.key]:
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
remember([PRESENT])
screen.watch()
one_history_entry_per_page()
page.run()
