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
from ui.page_tools import animation_speed, chart, csv_download, show_code
from ui.screen import narrow
from ui.url_sync import set_values


@st.cache_data(max_entries=32, show_spinner=False)
def constant_gradient(beta1, beta2, eps, correction, steps=1000):
    return bc.constant_gradient_run(Adam(1e-3, beta1, beta2, eps, correction), steps)


@st.cache_data(max_entries=32, show_spinner=False)
def landscape_figure(setup, speed, narrow):
    return race_figure(setup, run_race(setup), compact=True, speed=speed, narrow=narrow)


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

st.markdown(page.text("intro", **{k: f"{v:.3g} α" for k, v in
                                   dataclasses.asdict(bc.first_steps_at_defaults()).items()}))

st.subheader("The first step, in units of α")
multiples = bc.first_step_multiples(switches)
st.dataframe(multiples.map(lambda m: f"{m:.4g} α"), width="stretch")
first = constant_gradient(beta1, beta2, eps, switches)["step / α"].iloc[0]
st.markdown(f"Switches: **{bc.SWITCHES[switches]}**. With β₁ = {beta1:g} and β₂ = {beta2:g} "
            f"the first step is **{first:.4g} α**.")
st.caption("Each cell: the size of Adam's first step divided by α, for a gradient of any size, "
           "computed by one batched update of the engine with the switches as set.")

st.subheader("How the correction fades")
left, right = st.columns(2)
corrected_run = constant_gradient(beta1, beta2, eps, (True, True))
other_run = constant_gradient(beta1, beta2, eps, other)
chart(factors_figure(corrected_run, beta1, beta2), key="factors", where=left)
left.caption(f"1/(1 − βᵗ) for m and for v against the step t. The factor for m fades in about "
             f"3/(1 − β₁) = {3 / (1 - beta1):,.0f} steps, the one for v in about "
             f"3/(1 − β₂) = {3 / (1 - beta2):,.0f}.")
chart(steps_figure(corrected_run, other_run, bc.SWITCHES[other]), key="step_sizes",
      where=right)
right.caption(f"The step, in units of α, over the first {len(other_run):,} steps when the "
              f"gradient is always 1. Adam's step is α throughout; with "
              f"{bc.SWITCHES[other]} it {bc.step_course(other_run)}.")

st.subheader("On a landscape")
adam_setup, other_setup = bc.landscape_setups(values)
a, b = st.columns(2)
with a:
    st.markdown("**Adam, both corrected**")
    chart(landscape_figure(adam_setup, animation_speed(), narrow()), key="adam_map")
with b:
    st.markdown(f"**Adam, {bc.SWITCHES[other]}**")
    chart(landscape_figure(other_setup, animation_speed(), narrow()), key="other_map")
st.caption(f"{SURFACES[values[bc.SURFACE.key]].name}: the same start, α = "
           f"{values[bc.ALPHA.key]:g}, {values[bc.STEPS.key]} steps. Press Play on each map; "
           "the arrows show the way downhill, Adam's smoothed heading and its step.")

st.subheader("A sweep in the spirit of the paper's Figure 4")
sweeps = [(bc.SWITCHES[c], *sweep(values[bc.SURFACE.key], c, beta1, eps))
          for c in ((True, True), other)]
chart(sweep_figure(sweeps), key="sweep")
st.caption(f"Loss after {bc.SWEEP_STEPS} steps from the landscape's usual start, for every α "
           "and β₂: " + "; ".join(f"{title}: {bc.sweep_summary(loss, div)}"
                                   for title, loss, div in sweeps) + ".")
verdict = bc.sweep_verdict(SURFACES[values[bc.SURFACE.key]].name, sweeps[0][1:], sweeps[1][1:])
st.markdown(page.text("after", verdict, **{k: f"{v:.3g}" for k, v in
                                          dataclasses.asdict(bc.fading()).items()}))
csv_download(multiples.reset_index(names="β₁"), "first-step-multiples.csv",
             "Download the first-step table as CSV")
show_code(Adam)
page.publish()
