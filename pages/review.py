"""Review: the check questions a learner missed, from every lesson, until they stick."""
import streamlit as st

from explainers.lessons import LESSONS
from explainers.quiz import find
from ui import progress
from ui.lesson import lesson_page
from ui.quiz import ask_check

ROUND = "_review_round"  # the questions shown this session: answered ones stay, with feedback

page = lesson_page()
st.markdown(page.text("intro"))
shown = st.session_state.setdefault(ROUND, [])
shown += [key for key in progress.due() if key not in shown]
titles = {lesson.module: lesson.heading for lesson in LESSONS}
for key in shown:
    question = find(key)
    with st.container(border=True, key=f"review_{question.lesson}_{question.id}_box"):
        st.caption(f"From lesson {titles[question.lesson]}")
        ask_check(question, "", "review", on_answer=progress.reviewed)
if not progress.due():
    st.info(page.text("nothing", later=progress.waiting()))
