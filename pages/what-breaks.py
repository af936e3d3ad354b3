"""Lesson 8: what breaks. Non-convergence and AMSGrad, epsilon, memory, generalization."""
import streamlit as st

from explainers import what_breaks as bk
from optim import Adam
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import animation_speed, chart, csv_download, projector, show_code
from ui.url_sync import reset_button


@st.cache_data(max_entries=32,
               show_spinner=f"Running Adam and AMSGrad for {bk.ONLINE_STEPS:,} steps...")
def reddi(beta1, beta2, alpha, speed, screen):
    runs = bk.reddi(beta1, beta2, alpha)
    return (bk.reddi_figure(runs, speed, projector=screen),
            {k: float(v[0][-1]) for k, v in runs.items()})


@st.cache_data(show_spinner=False)
def eps_sweep():
    return bk.eps_sweep()


page = lesson_page(bk.SPECS)
page.notice()
reset_button(bk.SPECS)

beta1, beta2, alpha = (st.session_state[spec.key] for spec in (bk.BETA1, bk.BETA2, bk.ALPHA))
if page.slide("Does Adam always converge?"):
    st.markdown(page.text("reddi"))
    a, b, c = st.columns(3)
    for spec, where in ((bk.BETA1, a), (bk.BETA2, b), (bk.ALPHA, c)):
        control(spec, where)
page.ask("adam_end", beta1=beta1, beta2=beta2, alpha=alpha, steps=bk.ONLINE_STEPS,
         near=bk.NEAR)
caption = ("Press Play to follow both runs. Top: the iterate x of each optimizer over the "
           "steps. Bottom: AMSGrad's v, which "
           "jumps at every large gradient and decays in between, and its running maximum, "
           "which AMSGrad divides by.")
figure, finals = reddi(beta1, beta2, alpha, animation_speed(),
                       projector(page.reserve(caption, more=2.5)))  # 2.5: the result's line
if page.slide("Adam and AMSGrad on Reddi's problem"):
    chart(figure, key="reddi", fitted=True)
    st.markdown(page.text("reddi_result", steps=bk.ONLINE_STEPS, adam=f"{finals['Adam']:+.3f}",
                          amsgrad=f"{finals['AMSGrad']:+.3f}"))
    st.caption(caption)
page.prose("reddi_why", "Why Adam goes the wrong way", longer=bk.adam_end(0.9, 0.999, 1.0).x)
page.prose("reddi_map", "The whole map", steps=bk.ONLINE_STEPS, cells=bk.reddi_map(alpha).size)
page.ask("map", alpha=alpha)
if page.slide("Where Adam goes the wrong way"):
    page.figure(bk.reddi_map_figure(alpha, beta1, beta2), "reddi_map",
                page.text("reddi_map_caption", bk.map_summary(alpha)))

if not page.deck:
    st.divider()
page.prose("eps", "Epsilon")
sweep = eps_sweep()
if page.slide("The ε sweep"):
    page.figure(bk.eps_figure(sweep), "eps",
                page.text("eps_caption", alpha=f"{bk.EPS_ALPHA:g}", steps=bk.EPS_STEPS))
if not page.deck:  # a row for every ε: longer than a slide, and the figure shows it
    st.dataframe(sweep, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.3g")
                                for c in sweep.columns})

    csv_download(sweep, "epsilon-sweep.csv", "Download the ε sweep as CSV")
    st.divider()
page.prose("memory", "Memory")
page.ask("memory", billions=bk.PRESETS["70B"] / 1e9,
         bytes_per_value=bk.PRECISIONS["fp32 (4 bytes)"])
page.prose("memory_more", "What each optimizer keeps",
           matrix=" × ".join(f"{n:,}" for n in bk.MEMORY_MATRIX))
preset, count, precision = (st.session_state[spec.key]
                            for spec in (bk.PRESET, bk.PARAMETERS, bk.PRECISION))
parameters = bk.PRESETS.get(preset, count)
table = bk.memory_table(parameters, bk.PRECISIONS[precision])
if page.slide("The optimizer's state, in GB"):
    a, b, c = st.columns(3)
    control(bk.PRESET, a)
    control(bk.PARAMETERS, b, format="%.3g", disabled=preset != "custom")
    control(bk.PRECISION, c)
    formats = {"state values per weight": st.column_config.NumberColumn(format="%.2g"),
               "optimizer state (GB)": st.column_config.NumberColumn(format="%.4g")}
    if page.deck:  # every row in sight on a slide too: half the optimizers in each column
        half = -(-len(table) // 2)
        for where, part in zip(st.columns(2), (table[:half], table[half:])):
            where.dataframe(part, hide_index=True, width="stretch", column_config=formats)
    else:  # every row in sight: the family's are the ones the text names
        st.dataframe(table, hide_index=True, width="stretch",
                     height=36 * (len(table) + 1) + 4, column_config=formats)
    adam_gb = bk.state_gb(table, "Adam")
    st.markdown(page.text("memory_result", parameters=f"{parameters:,.0f}", precision=precision,
                          gb=f"{adam_gb:,.4g}"))

if not page.deck:
    st.divider()
page.prose("generalization", "Generalization")
if not page.deck:
    show_code(Adam)
page.checks()
page.publish()
