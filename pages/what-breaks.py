"""Lesson 8: what breaks. Non-convergence and AMSGrad, epsilon, memory, generalization."""
import streamlit as st

from explainers import what_breaks as bk
from optim import Adam
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import animation_speed, chart, csv_download, show_code
from ui.url_sync import reset_button


@st.cache_data(max_entries=32,
               show_spinner=f"Running Adam and AMSGrad for {bk.ONLINE_STEPS:,} steps...")
def reddi(beta1, beta2, alpha, speed):
    runs = bk.reddi(beta1, beta2, alpha)
    return bk.reddi_figure(runs, speed), {k: float(v[0][-1]) for k, v in runs.items()}


@st.cache_data(show_spinner=False)
def eps_sweep():
    return bk.eps_sweep()


page = lesson_page(bk.SPECS)
page.notice()
reset_button(bk.SPECS)

st.markdown(page.text("reddi"))
a, b, c = st.columns(3)
beta1, beta2, alpha = (control(spec, where) for spec, where in
                       ((bk.BETA1, a), (bk.BETA2, b), (bk.ALPHA, c)))
page.ask("adam_end", beta1=beta1, beta2=beta2, alpha=alpha, steps=bk.ONLINE_STEPS,
         near=bk.NEAR)
figure, finals = reddi(beta1, beta2, alpha, animation_speed())
chart(figure, key="reddi")
st.markdown(page.text("reddi_result", steps=bk.ONLINE_STEPS, adam=f"{finals['Adam']:+.3f}",
                      amsgrad=f"{finals['AMSGrad']:+.3f}"))
st.caption("Press Play to follow both runs. Top: the iterate x of each optimizer over the steps. "
           "Bottom: AMSGrad's v, which "
           "jumps at every large gradient and decays in between, and its running maximum, "
           "which AMSGrad divides by.")
st.markdown(page.text("reddi_why", longer=bk.adam_end(0.9, 0.999, 1.0).x))
st.markdown(page.text("reddi_map", steps=bk.ONLINE_STEPS, cells=bk.reddi_map(alpha).size))
page.ask("map", alpha=alpha)
chart(bk.reddi_map_figure(alpha, beta1, beta2), key="reddi_map")
st.caption(page.text("reddi_map_caption", bk.map_summary(alpha)))

st.divider()
st.markdown(page.text("eps"))
sweep = eps_sweep()
chart(bk.eps_figure(sweep), key="eps")
st.caption(page.text("eps_caption", alpha=f"{bk.EPS_ALPHA:g}", steps=bk.EPS_STEPS))
st.dataframe(sweep, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.3g")
                            for c in sweep.columns})

csv_download(sweep, "epsilon-sweep.csv", "Download the ε sweep as CSV")

st.divider()
st.markdown(page.text("memory"))
page.ask("memory", billions=bk.PRESETS["70B"] / 1e9,
         bytes_per_value=bk.PRECISIONS["fp32 (4 bytes)"])
st.markdown(page.text("memory_more", matrix=" × ".join(f"{n:,}" for n in bk.MEMORY_MATRIX)))
a, b, c = st.columns(3)
preset = control(bk.PRESET, a)
count = control(bk.PARAMETERS, b, format="%.3g", disabled=preset != "custom")
precision = control(bk.PRECISION, c)
parameters = bk.PRESETS.get(preset, count)
table = bk.memory_table(parameters, bk.PRECISIONS[precision])
st.dataframe(table, hide_index=True, width="stretch", height=36 * (len(table) + 1) + 4,
             column_config={  # every row in sight: the family's are the ones the text names
                 "state values per weight": st.column_config.NumberColumn(format="%.2g"),
                 "optimizer state (GB)": st.column_config.NumberColumn(format="%.4g")})
adam_gb = bk.state_gb(table, "Adam")
st.markdown(page.text("memory_result", parameters=f"{parameters:,.0f}", precision=precision,
                      gb=f"{adam_gb:,.4g}"))

st.divider()
st.markdown(page.text("generalization"))
show_code(Adam)
page.checks()
page.publish()
