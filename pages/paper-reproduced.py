"""Lesson 6: what the paper reports, reproduced small."""
import streamlit as st

from explainers import generalization as gen
from explainers import paper_reproduced as paper
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import csv_download, show_code
from ui.url_sync import reset_button


@st.cache_data(max_entries=64, show_spinner=False)
def contender_result(task_key: str, contender_key: str, decay: bool):
    """The run as the engine made it (assets/paper-runs.json), or made now if it is not
    there (20 seconds for all)."""
    stored = paper.stored_result(task_key, contender_key, decay)
    if stored is not None:
        return stored
    task = next(t for t in paper.tasks() if t.key == task_key)
    contender = next(c for c in paper.CONTENDERS if c.key == contender_key)
    return paper.run_contender(task, contender, decay)


@st.cache_data(max_entries=4, show_spinner="Training...")
def generalization_view(model: str):
    """The figure, table and sentences of the last section (assets/generalization-runs.json,
    or made now if it is not there: 30 to 60 seconds)."""
    return gen.figure(model), gen.table(model), gen.summary(model)


page = lesson_page(paper.SPECS)
page.notice()
page.prose("intro", "What the paper reports")
if page.slide("The paper's findings"):
    st.table(paper.FINDINGS.set_index("section"))
    st.caption("Kingma, D. P. & Ba, J. (2015). Adam: A Method for Stochastic Optimization. ICLR.")

on_slide = page.slide("Reproduced small")
repro = st.empty() if on_slide else None  # the text quotes the runs below
decay = control(paper.DECAY) if on_slide else st.session_state[paper.DECAY.key]

tasks = paper.tasks()
jobs = [(t, c) for t in tasks for c in paper.CONTENDERS]
bar = st.progress(0.0, text="Training...")
results = {t.key: {} for t in tasks}
for i, (task, contender) in enumerate(jobs):
    bar.progress(i / len(jobs), text=f"Training {contender.label} on {task.title.lower()}...")
    results[task.key][contender.key] = contender_result(task.key, contender.key, decay)
bar.empty()
facts = paper.setting(results)
if repro is not None:
    repro.markdown(page.text("repro", facts))
page.ask("sparse_winner", decay=decay, results=results["words"])

if page.slide("Training curves"):
    page.figure(paper.curves_figure([t.title for t in tasks], [results[t.key] for t in tasks]),
                "curves", "Training loss (full data, log scale) after each epoch, per optimizer "
                f"at the α it chose on that task (hover a line to see it): the line is the mean "
                f"of {facts.seeds} seeds, the band their range.")
if page.section("Checked against the paper"):
    page.table(paper.agreement(results["digits"], results["words"]), hide_index=True,
               width="stretch")
    st.caption(f"'About as fast' agrees when the two final losses are within {paper.CLOSE:.0%} "
               "of each other; 'as fast' also agrees when the first is lower.")
page.prose("honest", "How honest the reproduction is", facts)
if not page.deck:
    for task in tasks:
        with st.expander(f"The learning-rate grid: {task.title}"):
            st.dataframe(paper.grid_table(results[task.key]), hide_index=True, width="stretch")
    csv_download(lambda: paper.curves_table([t.title for t in tasks],
                                            [results[t.key] for t in tasks]),
                 "training-curves.csv", "Download the training curves as CSV")
    show_code(*(c.make for c in paper.CONTENDERS))

on_slide = page.section("Do adaptive methods generalize worse?")
if on_slide:
    st.markdown(page.text("gen_intro", gen.setup()))
model = control(gen.MODEL) if on_slide else st.session_state[gen.MODEL.key]
figure, table, summary = generalization_view(model)
page.ask("generalization", model=model)
caption = page.text("gen_caption", summary)  # on a slide, under the chart it reads
if page.slide("Test accuracy against ε"):
    page.figure(figure, "generalization", caption if page.deck else "")
if page.slide("Every ε against tuned momentum: the numbers"):
    page.table(table, hide_index=True, width="stretch",
               column_config={"optimizer": st.column_config.TextColumn(width=125)})
    if not page.deck:
        st.caption(caption)
page.prose("gen_limit", "Large ε is momentum", summary)
page.prose("gen_honest", "How much this settles", summary)
reset_button(paper.SPECS)
page.checks()
page.publish()
