"""Lesson 5: what the paper reports, reproduced small."""
import streamlit as st

from explainers import paper
from explainers import paper_controls as pc
from explainers.text import lesson_text
from pages.page_tools import chart, csv_download, show_code
from pages.url_sync import publish, reset_button, restore, show_problems


@st.cache_data(max_entries=64, show_spinner=False)
def contender_result(task_key: str, contender_key: str, decay: bool):
    task = next(t for t in paper.tasks() if t.key == task_key)
    contender = next(c for c in paper.CONTENDERS if c.key == contender_key)
    return paper.run_contender(task, contender, decay)


st.title("5. What the paper reports, reproduced small")
problems = restore(pc.SPECS)
show_problems(problems)
st.markdown(lesson_text("paper_intro"))
st.table(paper.FINDINGS.set_index("section"))
st.caption("Kingma, D. P. & Ba, J. (2015). Adam: A Method for Stochastic Optimization. ICLR.")

st.markdown(lesson_text("paper_repro"))
decay = st.toggle(pc.DECAY.label, key=pc.DECAY.key)

tasks = paper.tasks()
jobs = [(t, c) for t in tasks for c in paper.CONTENDERS]
bar = st.progress(0.0, text="Training...")
results = {t.key: {} for t in tasks}
for i, (task, contender) in enumerate(jobs):
    bar.progress(i / len(jobs), text=f"Training {contender.label} on {task.title.lower()}...")
    results[task.key][contender.key] = contender_result(task.key, contender.key, decay)
bar.empty()

chart(paper.curves_figure([t.title for t in tasks], [results[t.key] for t in tasks]),
      key="curves")
st.caption("Training loss (full data, log scale) after each epoch, per optimizer at its chosen "
           "α: the line is the mean of 3 seeds, the band their range.")
st.subheader("Checked against the paper")
st.dataframe(paper.agreement(results["digits"], results["words"]), hide_index=True,
             width="stretch")
st.markdown(lesson_text("paper_honest"))
for task in tasks:
    with st.expander(f"The step-size grid: {task.title}"):
        st.dataframe(paper.grid_table(results[task.key]), hide_index=True, width="stretch")
csv_download(lambda: paper.curves_table([t.title for t in tasks], [results[t.key] for t in tasks]),
             "training-curves.csv", "Download the training curves as CSV")
show_code(*(c.make for c in paper.CONTENDERS))
reset_button(pc.SPECS)
publish(pc.SPECS)
