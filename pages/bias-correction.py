"""Lesson 4: bias correction. The switch, and what really happens without it."""
import dataclasses

import streamlit as st

from explainers import bias_correction as bc
from explainers.bias_correction import factors_figure, steps_figure, sweep_figure
from explainers.race.figure import race_figure
from explainers.race.setup import run_race
from optim import Adam
from optim.surfaces import SURFACES
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import animation_speed, csv_download, projector, show_code
from ui.screen import narrow
from ui.url_sync import set_values


@st.cache_data(max_entries=32, show_spinner=False)
def constant_gradient(beta1, beta2, eps, correction, steps=1000):
    return bc.constant_gradient_run(Adam(1e-3, beta1, beta2, eps, correction), steps)


@st.cache_data(max_entries=32, show_spinner=False)
def landscape_figure(setup, speed, narrow, screen):
    return race_figure(setup, run_race(setup), compact=True, speed=speed, narrow=narrow,
                       projector=screen)


@st.cache_data(max_entries=32, show_spinner=False)
def sweep(surface, correction, beta1, eps):
    return bc.sweep(surface, correction, beta1, eps)


def on_master():
    on = st.session_state[bc.CORRECT.key]
    set_values({bc.CORRECT_M.key: on, bc.CORRECT_V.key: on})


def on_finer():
    set_values({bc.CORRECT.key: st.session_state[bc.CORRECT_M.key]
                and st.session_state[bc.CORRECT_V.key]})


def on_reset():
    set_values({spec.key: spec.default for spec in bc.SPECS})


page = lesson_page(bc.SPECS)
page.notice()

with st.sidebar:
    st.header("The switches")
    control(bc.CORRECT, on_change=on_master)
    control(bc.CORRECT_M, on_change=on_finer)
    control(bc.CORRECT_V, on_change=on_finer)
    st.header("Adam's settings")
    for spec in (bc.BETA1, bc.BETA2, bc.EPS, bc.ALPHA, bc.SURFACE, bc.STEPS):
        control(spec)
    st.button("Reset to the paper's defaults", on_click=on_reset, width="stretch", key="reset")

values = {spec.key: st.session_state[spec.key] for spec in bc.SPECS}
switches = bc.switches(values)
other = bc.compared(values)
beta1, beta2, eps = values[bc.BETA1.key], values[bc.BETA2.key], values[bc.EPS.key]

page.prose("intro", "The question")
page.ask("first_step", beta1=beta1, beta2=beta2)
page.prose("without", "Without the corrections", **{k: f"{v:.3g} α" for k, v in
                                                  dataclasses.asdict(bc.first_steps_at_defaults()).items()})

multiples = bc.first_step_multiples(switches)
if page.section("The first step, in units of α"):
    st.dataframe(multiples.map(lambda m: f"{m:.4g} α"), width="stretch")
    first = constant_gradient(beta1, beta2, eps, switches)["step / α"].iloc[0]
    st.markdown(page.text("first", switches=bc.SWITCHES[switches], beta1=f"{beta1:g}",
                          beta2=f"{beta2:g}", first=f"{first:.4g}"))
    st.caption("Each cell: the size of Adam's first step divided by α, for a gradient of any "
               "size, computed by one batched update of the engine with the switches as set.")

if page.section("How the correction fades"):
    left, right = st.columns(2)
    corrected_run = constant_gradient(beta1, beta2, eps, (True, True))
    other_run = constant_gradient(beta1, beta2, eps, other)
    page.figure(factors_figure(corrected_run, beta1, beta2), "factors",
                page.text("factors", m_steps=f"{3 / (1 - beta1):,.0f}",
                          v_steps=f"{3 / (1 - beta2):,.0f}"), where=left, share=0.5)
    page.figure(steps_figure(corrected_run, other_run, bc.SWITCHES[other]), "step_sizes",
                page.text("course", steps=len(other_run), switches=bc.SWITCHES[other],
                          course=bc.step_course(other_run)), where=right, share=0.5)

if page.section("On a landscape"):
    adam_setup, other_setup = bc.landscape_setups(values)
    caption = page.text("maps", landscape=SURFACES[values[bc.SURFACE.key]].name,
                        alpha=f"{values[bc.ALPHA.key]:g}", steps=values[bc.STEPS.key])
    screen = projector(page.reserve(caption, more=4))
    a, b = st.columns(2)
    with a:
        st.markdown("**Adam, both corrected**")
        page.figure(landscape_figure(adam_setup, animation_speed(), narrow(), screen),
                    "adam_map", fitted=True)
    with b:
        st.markdown(f"**Adam, {bc.SWITCHES[other]}**")
        page.figure(landscape_figure(other_setup, animation_speed(), narrow(), screen),
                    "other_map", fitted=True)
    st.caption(caption)

sweeps = [(bc.SWITCHES[c], *sweep(values[bc.SURFACE.key], c, beta1, eps))
          for c in ((True, True), other)]
if page.section("A sweep in the spirit of the paper's Figure 4"):
    page.figure(sweep_figure(sweeps), "sweep", page.text("sweep", steps=bc.SWEEP_STEPS,
                summaries="; ".join(f"{title}: {bc.sweep_summary(loss, div)}"
                                    for title, loss, div in sweeps)))
verdict = bc.sweep_verdict(SURFACES[values[bc.SURFACE.key]].name, sweeps[0][1:], sweeps[1][1:])
page.prose("after", "What the sweep says", verdict, **{k: f"{v:.3g}" for k, v in
                                                     dataclasses.asdict(bc.fading()).items()})
if not page.deck:
    csv_download(multiples.reset_index(names="β₁"), "first-step-multiples.csv",
                 "Download the first-step table as CSV")
    show_code(Adam)
page.checks()
page.publish()
