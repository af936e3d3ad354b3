"""Lesson 11: which Adam are you running? The frameworks' rules side by side, where they part,
AdamW's lambda across libraries, and the code to take away."""
import streamlit as st

from explainers import which_adam as wa
from optim.conventions import DEFAULT_ADAMW_DECAY, DEFAULT_EPS, FRAMEWORK_NAMES, FrameworkAdam
from optim.reference import adam_algorithm_1
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import csv_download, show_code
from ui.take_away import take_away

page = lesson_page(wa.SPECS)
page.notice()
values = page.sidebar("The gradients", (wa.G, wa.EVERY, wa.EPS_MODE, wa.BETA2, wa.STEPS))

page.prose("intro", "One name, four rules",
           **{f"{fw}_eps": f"{eps:g}" for fw, eps in DEFAULT_EPS.items()})
page.ask("keras_step", g=wa.G.default, beta2=values[wa.BETA2.key],
         keras_eps=DEFAULT_EPS["keras"], pytorch_eps=DEFAULT_EPS["pytorch"])
page.prose("apart", "Where they part", factor_1=wa.keras_eps_factor(1).answer,
           factor_1000=wa.keras_eps_factor(1000).answer)

if page.section("The same gradients, four rules"):
    page.figure(wa.steps_figure(values), "framework_steps", page.text("steps_caption"))
if page.slide("Keras's step over PyTorch's"):
    page.figure(wa.gap_figure(values), "gap",
                page.text("gap_caption", eps=wa.EPS_MODE.show(values[wa.EPS_MODE.key])))

table = wa.decay_table(values)
if page.section("AdamW's λ across libraries"):
    st.markdown(page.text("decay", defaults=", ".join(
        f"{FRAMEWORK_NAMES[fw]} {wd:g}" for fw, wd in DEFAULT_ADAMW_DECAY.items())))
    a, b, c = st.columns(3)
    control(wa.DECAY_FROM, a)
    control(wa.DECAY_LR, b)
    control(wa.DECAY, c)
    page.table(table, hide_index=True, width="stretch", column_config={
        "the same decay is λ =": st.column_config.NumberColumn(format="%.4g"),
        "each step removes": st.column_config.NumberColumn(format="%.4g")})

if not page.deck:  # the programs are for a learner to take away, not for a projector
    st.subheader("Code to take away")
    st.markdown(page.text("code", steps=wa.CODE_STEPS))
    take_away(*wa.take_away(values))
    csv_download(table, "adamw-lambda.csv", "Download the λ table as CSV")
    show_code(adam_algorithm_1, FrameworkAdam)
page.checks()
page.publish()
