"""Lesson 7: what breaks. Non-convergence and AMSGrad, epsilon, memory, generalization."""
import streamlit as st

from explainers import breaks
from explainers import breaks_controls as bk
from explainers.text import lesson_text
from optim import Adam
from pages.page_tools import animation_speed, chart, csv_download, show_code
from pages.url_sync import publish, reset_button, restore, show_problems


@st.cache_data(max_entries=32, show_spinner="Running Adam and AMSGrad for 5,000 steps...")
def reddi(beta1, beta2, alpha, speed):
    runs = breaks.reddi(beta1, beta2, alpha)
    return breaks.reddi_figure(runs, speed), {k: float(v[0][-1]) for k, v in runs.items()}


@st.cache_data(show_spinner=False)
def eps_sweep():
    return breaks.eps_sweep()


st.title("7. What breaks")
problems = restore(bk.SPECS)
show_problems(problems)
fmt = "{:g}".format

st.markdown(lesson_text("breaks_reddi"))
a, b, c = st.columns(3)
beta1 = a.select_slider(bk.BETA1.label, bk.BETA1.options, key=bk.BETA1.key, format_func=fmt)
beta2 = b.select_slider(bk.BETA2.label, bk.BETA2.options, key=bk.BETA2.key, format_func=fmt)
alpha = c.select_slider(bk.ALPHA.label, bk.ALPHA.options, key=bk.ALPHA.key, format_func=fmt)
figure, finals = reddi(beta1, beta2, alpha, animation_speed())
chart(figure, key="reddi")
st.markdown(f"After {breaks.ONLINE_STEPS:,} steps: Adam is at **x = {finals['Adam']:+.3f}**, "
            f"AMSGrad at **x = {finals['AMSGrad']:+.3f}** (the best point is −1).")
st.caption("Press Play to follow both runs. Top: the iterate x of each optimizer over the steps. "
           "Bottom: AMSGrad's v, which "
           "jumps at every large gradient and decays in between, and its running maximum, "
           "which AMSGrad divides by.")

st.divider()
st.markdown(lesson_text("breaks_eps"))
sweep = eps_sweep()
chart(breaks.eps_figure(sweep), key="eps")
st.caption(f"Adam (α = {breaks.EPS_ALPHA:g}) on the plateau for {breaks.EPS_STEPS} steps, one run "
           "per ε. Solid: loss at the end. Dashed: the median of √v̂/(√v̂+ε), the part of the "
           "step that is still Adam; near 0 the step is α·m̂/ε.")
st.dataframe(sweep, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.3g")
                            for c in sweep.columns})

csv_download(sweep, "epsilon-sweep.csv", "Download the ε sweep as CSV")

st.divider()
st.markdown(lesson_text("breaks_memory"))
a, b, c = st.columns(3)
preset = a.selectbox(bk.PRESET.label, bk.PRESET.options, key=bk.PRESET.key)
count = b.number_input(bk.PARAMETERS.label, bk.PARAMETERS.low, bk.PARAMETERS.high,
                       key=bk.PARAMETERS.key, format="%.3g", disabled=preset != "custom")
precision = c.selectbox(bk.PRECISION.label, bk.PRECISION.options, key=bk.PRECISION.key)
parameters = breaks.PRESETS.get(preset, count)
table = breaks.memory_table(parameters, breaks.PRECISIONS[precision])
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "optimizer state (GB)": st.column_config.NumberColumn(format="%.4g")})
adam_gb = table.set_index("optimizer").loc["Adam", "optimizer state (GB)"]
st.markdown(f"Adam's state for {parameters:.3g} parameters in {precision}: **{adam_gb:,.4g} GB**.")

st.divider()
st.markdown(lesson_text("breaks_generalization"))
show_code(Adam)
reset_button(bk.SPECS)
publish(bk.SPECS)
