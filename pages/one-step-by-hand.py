"""Lesson 3: one step by hand. The seed's t = 1 walkthrough as a live table, then t = 2, 3, ..."""
import numpy as np
import plotly.express as px
import streamlit as st

from explainers import one_step_by_hand as oc
from explainers.code_export import Problem, Setting
from explainers.one_step_by_hand import (
    COORDINATES,
    SOURCES,
    gradient_frame,
    history,
    next_gradient,
    parse_gradients,
    replay,
    step_table,
)
from explainers.palette import PARAMETER_COLOURS
from optim import Adam
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import csv_download, show_code
from ui.take_away import take_away
from ui.url_sync import set_values

EDITOR_VERSION = "grad_editor_version"
MOMENTS = 6  # the step table's rows g, g², m, v, m̂, v̂: the first of its two slides


def editor_key() -> str:
    return f"grad_editor_{st.session_state.get(EDITOR_VERSION, 0)}"


def replace_gradients(rows) -> None:
    """Set the history from outside the editor (the editor then starts afresh)."""
    set_values({oc.GRADIENTS.key: tuple(rows), "show_t": len(rows)})
    st.session_state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1


def on_add_step():
    rows = st.session_state[oc.GRADIENTS.key]
    sources = [st.session_state[f"source_{j}"] for j in range(len(COORDINATES))]
    replace_gradients(rows + (next_gradient(rows, sources),))


def on_reset():
    set_values({spec.key: spec.default for spec in oc.SPECS if spec is not oc.GRADIENTS})
    replace_gradients(oc.GRADIENTS.default)


def add_step_box(count: int) -> None:
    """The box that adds step ``count + 1``, each gradient from a source of its own."""
    with st.container(border=True):
        st.markdown(f"**Add step {count + 1}.** Where does each gradient come from?")
        cols = st.columns(len(COORDINATES) + 1, vertical_alignment="bottom")
        for j, name in enumerate(COORDINATES):
            cols[j].selectbox(name, SOURCES, key=f"source_{j}", index=0 if j != 1 else 1,
                              help="steady: the same as at step 1; noisy: random sign and size")
        cols[-1].button(f"Take step {count + 1}", on_click=on_add_step, width="stretch",
                        key="add_step", disabled=count >= oc.GRADIENTS.max_rows)


def step_slider(count: int) -> None:
    """Choose the step whose arithmetic is shown, once there is more than one."""
    if count > 1:
        st.slider("Show the arithmetic of step t", 1, count, key="show_t")


def arithmetic(table, height=None) -> None:
    st.dataframe(table, hide_index=True, width="stretch", height=height or "auto",
                 column_config={name: st.column_config.NumberColumn(format="%.6g")
                                for name in COORDINATES})


page = lesson_page(oc.SPECS)
page.notice()
page.prose("intro", "Adam's arithmetic, nothing hidden")

with st.sidebar:
    st.header("Adam's settings")
    for spec in (oc.ALPHA, oc.BETA1, oc.BETA2, oc.EPS):
        control(spec)
    st.button("Back to the paper's example", on_click=on_reset, width="stretch", key="reset",
              help="α = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and g₁ = (0.1, −0.5, 0.3).")

values = {spec.key: st.session_state[spec.key] for spec in oc.SPECS}
adam = oc.adam_from(values)

if page.section("The gradients, one row per step"):
    st.caption("Edit any cell, or add a row with the + below the table. Every row is one step.")
    edited = st.data_editor(
        gradient_frame(values[oc.GRADIENTS.key]), key=editor_key(), num_rows="dynamic",
        width="stretch",
        column_config={name: st.column_config.NumberColumn(name, format="%.4g")
                       for name in COORDINATES})
    rows, problem = parse_gradients(edited)
    if problem:
        st.error(f"{problem} The table below still shows the last steps that made sense.")
    elif rows != values[oc.GRADIENTS.key]:
        if len(rows) != len(values[oc.GRADIENTS.key]):
            st.session_state["show_t"] = len(rows)  # a new row: show its arithmetic
        st.session_state[oc.GRADIENTS.key] = rows
        values[oc.GRADIENTS.key] = rows
gradients = values[oc.GRADIENTS.key]
settings = {"gradient": gradients[0], **{spec.key: values[spec.key]
                                         for spec in (oc.ALPHA, oc.BETA1, oc.BETA2, oc.EPS)}}
page.ask("furthest", **settings)

steps = replay(np.array(gradients), adam)
if len(steps) > 1 and not 1 <= st.session_state.get("show_t", 0) <= len(steps):
    st.session_state["show_t"] = len(steps)
t = st.session_state["show_t"] if len(steps) > 1 else 1  # the slider's value
step = steps[t - 1]
table = step_table(step, adam)
rows = table.set_index("quantity")
moves = ", ".join(f"{name} **{-rows.loc['step', name]:+.6g}**" for name in COORDINATES)
ratios = ", ".join(f"{rows.loc['step ÷ α', name]:+.4g}" for name in COORDINATES)
moved = f"Each parameter moved by {moves} (step ÷ α: {ratios})."
if not page.deck:
    add_step_box(len(gradients))
    step_slider(len(steps))
    st.subheader(f"Step t = {t}")
    arithmetic(table, height=36 * (len(table) + 1) + 4)
    st.markdown(moved)
else:  # the table is taller than a slide: the averages, then the step
    if page.slide(f"Step t = {t}: the averages"):
        add_step_box(len(gradients))
        step_slider(len(steps))
        arithmetic(table[:MOMENTS])
    if page.slide(f"Step t = {t}: the step"):
        step_slider(len(steps))
        arithmetic(table[MOMENTS:])
        st.markdown(moved)
page.prose("surprise", "The step-1 surprise")

if len(steps) > 1:
    frame = history(steps)
    if page.slide("The effective learning rates"):
        chart = px.line(frame, x="t", y="effective learning rate", color="parameter",
                        markers=True, log_y=True,
                        title="Effective learning rate α/(√v̂+ε) of each parameter",
                        color_discrete_sequence=PARAMETER_COLOURS,
                        labels={"t": "step t", "effective learning rate": "α/(√v̂+ε)"})
        chart.update_layout(height=380, font={"size": 15}, legend_title_text="")
        chart.update_xaxes(tickformat="d", dtick=1 if len(steps) <= 20 else None)
        caption = ("One line per parameter: the effective learning rate α/(√v̂+ε), the "
                   "multiplier of m̂, at each step. It is large where recent gradients were "
                   "small and small where they were large, whatever their sign: a constant "
                   "gradient g gives exactly α/|g|. Sign flips shorten the step through m̂, not "
                   "through this multiplier.")
        if page.deck:
            page.figure(chart.to_dict(), "rates", caption)
        else:
            st.plotly_chart(chart, config={"displaylogo": False})
            st.caption(caption)
    if not page.deck:
        csv_download(frame, "effective-learning-rates.csv",
                     "Download the effective learning rates as CSV")
if not page.deck:
    csv_download(table, f"adam-step-{t}.csv", f"Download the table of step {t} as CSV")
    take_away(Problem("One step by hand", oc.THETA0, len(gradients),
                      gradients=tuple(gradients)),
              Setting(values[oc.ALPHA.key], values[oc.BETA1.key], values[oc.BETA2.key],
                      values[oc.EPS.key]))
    show_code(Adam)
page.prose("more", "Try it")
page.checks()
page.publish()
