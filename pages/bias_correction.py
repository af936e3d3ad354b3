"""Lesson 4: bias correction. The switch, and what really happens without it."""
import streamlit as st

from explainers import bias
from explainers import bias_controls as bc
from explainers.bias_figures import factors_figure, steps_figure, sweep_figure
from explainers.race import run_race
from explainers.race_figure import race_figure
from explainers.text import lesson_text
from optim import Adam
from optim.surfaces import SURFACES
from pages.page_tools import animation_speed, chart, csv_download, show_code
from pages.screen import narrow
from pages.url_sync import publish, restore, set_values, show_problems


@st.cache_data(max_entries=32, show_spinner=False)
def constant_gradient(beta1, beta2, eps, correction, steps=1000):
    return bias.constant_gradient_run(Adam(1e-3, beta1, beta2, eps, correction), steps)


@st.cache_data(max_entries=32, show_spinner=False)
def landscape_figure(setup, speed, narrow):
    return race_figure(setup, run_race(setup), compact=True, speed=speed, narrow=narrow)


@st.cache_data(max_entries=32, show_spinner=False)
def sweep(surface, correction, beta1, eps):
    return bias.sweep(surface, correction, beta1, eps)


def on_master():
    on = st.session_state[bc.CORRECT.key]
    set_values({bc.CORRECT_M.key: on, bc.CORRECT_V.key: on})


def on_finer():
    set_values({bc.CORRECT.key: st.session_state[bc.CORRECT_M.key]
                and st.session_state[bc.CORRECT_V.key]})


def on_reset():
    set_values({spec.key: spec.default for spec in bc.SPECS})


st.title("4. Bias correction")
problems = restore(bc.SPECS)
show_problems(problems)

with st.sidebar:
    st.header("The switches")
    st.toggle(bc.CORRECT.label, key=bc.CORRECT.key, on_change=on_master)
    st.toggle(bc.CORRECT_M.label, key=bc.CORRECT_M.key, on_change=on_finer)
    st.toggle(bc.CORRECT_V.label, key=bc.CORRECT_V.key, on_change=on_finer)
    st.header("Adam's settings")
    fmt = "{:g}".format
    st.slider(bc.BETA1.label, bc.BETA1.low, bc.BETA1.high, step=0.01, key=bc.BETA1.key)
    st.select_slider(bc.BETA2.label, bc.BETA2.options, key=bc.BETA2.key, format_func=fmt)
    st.select_slider(bc.EPS.label, bc.EPS.options, key=bc.EPS.key, format_func=fmt)
    st.select_slider(bc.ALPHA.label, bc.ALPHA.options, key=bc.ALPHA.key, format_func=fmt)
    st.selectbox(bc.SURFACE.label, bc.SURFACE.options, key=bc.SURFACE.key,
                 format_func=lambda k: SURFACES[k].name)
    st.slider(bc.STEPS.label, bc.STEPS.low, bc.STEPS.high, step=10, key=bc.STEPS.key)
    st.button("Reset to the paper's defaults", on_click=on_reset, width="stretch", key="reset")

values = {spec.key: st.session_state[spec.key] for spec in bc.SPECS}
switches = bc.switches(values)
other = bc.compared(values)
beta1, beta2, eps = values[bc.BETA1.key], values[bc.BETA2.key], values[bc.EPS.key]

st.markdown(lesson_text("bias_intro"))

st.subheader("The first step, in units of α")
multiples = bias.first_step_multiples(switches)
st.dataframe(multiples.map(lambda m: f"{m:.4g} α"), width="stretch")
first = constant_gradient(beta1, beta2, eps, switches)["step / α"].iloc[0]
st.markdown(f"Switches: **{bias.SWITCHES[switches]}**. With β₁ = {beta1:g} and β₂ = {beta2:g} "
            f"the first step is **{first:.4g} α**.")
st.caption("Each cell: the size of Adam's first step divided by α, for a gradient of any size, "
           "computed by one batched update of the engine with the switches as set.")

st.subheader("How the correction fades")
left, right = st.columns(2)
corrected_run = constant_gradient(beta1, beta2, eps, (True, True))
other_run = constant_gradient(beta1, beta2, eps, other)
chart(factors_figure(corrected_run, beta1, beta2), key="factors", where=left)
left.caption("1/(1 − βᵗ) for m and for v against the step t: the factor for m is gone after "
             "a few dozen steps, the one for v only after thousands when β₂ is close to 1.")
chart(steps_figure(corrected_run, other_run, bias.SWITCHES[other]), key="step_sizes",
      where=right)
at, top = bias.peak(other_run)
right.caption(f"Step size over the first 1,000 steps when the gradient is always 1. Adam's step "
              f"is α throughout; with {bias.SWITCHES[other]} it peaks at {top:.3g} α at "
              f"t = {at} and is still {other_run['step / α'].iloc[99]:.3g} α at t = 100.")

st.subheader("On a landscape")
adam_setup, other_setup = bc.landscape_setups(values)
a, b = st.columns(2)
with a:
    st.markdown("**Adam, both corrected**")
    chart(landscape_figure(adam_setup, animation_speed(), narrow()), key="adam_map")
with b:
    st.markdown(f"**Adam, {bias.SWITCHES[other]}**")
    chart(landscape_figure(other_setup, animation_speed(), narrow()), key="other_map")
st.caption(f"{SURFACES[values[bc.SURFACE.key]].name}: the same start, α = "
           f"{values[bc.ALPHA.key]:g}, {values[bc.STEPS.key]} steps. Press Play on each map; "
           "the arrows show the way downhill, Adam's smoothed heading and its step.")

st.subheader("A sweep in the spirit of the paper's Figure 4")
sweeps = [(bias.SWITCHES[c], *sweep(values[bc.SURFACE.key], c, beta1, eps))
          for c in ((True, True), other)]
chart(sweep_figure(sweeps), key="sweep")
st.caption(f"Loss after {bias.SWEEP_STEPS} steps from the landscape's usual start, for every α "
           "and β₂: " + "; ".join(f"{title}: {bias.sweep_summary(loss, div)}"
                                   for title, loss, div in sweeps) + ".")
st.markdown(lesson_text("bias_after"))
csv_download(multiples.reset_index(names="β₁"), "first-step-multiples.csv",
             "Download the first-step table as CSV")
show_code(Adam)
publish(bc.SPECS)
