"""Lesson 1: the problem with one learning rate."""
import streamlit as st

from explainers import one_rate as orate
from explainers import one_rate_controls as oc
from explainers import rare_words as rw
from explainers.race import run_race
from explainers.race_figure import race_figure
from explainers.text import lesson_text
from optim import SGD, Adam
from pages.page_tools import animation_speed, chart, csv_download, show_code
from pages.screen import narrow
from pages.url_sync import publish, reset_button, restore, show_problems


@st.cache_data(show_spinner="Training 12 logistic regressions on 3,000 sentences...")
def experiment():
    return rw.run_experiment()


@st.cache_data(max_entries=32, show_spinner=False)
def bowl(alpha_sgd, speed, narrow):
    setup = orate.bowl_setup(alpha_sgd)
    results = run_race(setup)
    return (race_figure(setup, results, compact=True, speed=speed, narrow=narrow),
            orate.bowl_table(results))


@st.cache_data(max_entries=32, show_spinner=False)
def scaling(c, eps):
    runs = orate.scale_runs(c, eps)
    return orate.scale_figure(runs, c), {k: orate.path_difference(*v) for k, v in runs.items()}


st.title("1. The problem with one learning rate")
problems = restore(oc.SPECS)
show_problems(problems)
st.markdown(lesson_text("one_rate_intro"))
fmt = "{:g}".format

exp = experiment()
left, right = st.columns(2)
sgd_alpha = left.select_slider(oc.WORDS_SGD.label, oc.WORDS_SGD.options, key=oc.WORDS_SGD.key,
                               format_func=fmt)
adam_alpha = right.select_slider(oc.WORDS_ADAM.label, oc.WORDS_ADAM.options,
                                 key=oc.WORDS_ADAM.key, format_func=fmt)
chart(rw.loss_figure(exp, sgd_alpha, adam_alpha), key="words_loss")
common_col, rare_col = "loss, common-word sentences", "loss, sentences with a rare word"
a_common, l_common = rw.best(exp.sgd_loss, common_col)
a_rare, l_rare = rw.best(exp.sgd_loss, rare_col)
adam_row = exp.adam_loss.loc[exp.adam_loss["α"] == adam_alpha].iloc[0]
st.caption(
    "Test loss after training, on held-out sentences made only of the 50 most common words "
    "(solid) and on sentences with at least one word outside the 200 most common (dashed). "
    "The open circles mark the step sizes on the sliders.")
st.markdown(
    f"SGD's best α for common-word sentences is **{a_common:g}** (loss {l_common:.3f}); for "
    f"sentences with rare words it is **{a_rare:g}** (loss {l_rare:.3f}). No single α is best "
    f"for both: every choice is a compromise. Adam at α = {adam_alpha:g} reaches "
    f"**{adam_row[common_col]:.3f}** and **{adam_row[rare_col]:.3f}**.")

table = rw.word_table(exp, sgd_alpha, adam_alpha)
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "batches with a gradient": st.column_config.NumberColumn(format="percent"),
    **{c: st.column_config.NumberColumn(format="%.3g") for c in table.columns[3:]}})
the, xylo = table.iloc[0], table.iloc[-1]
st.markdown(
    f"*xylophone* got a gradient in {xylo['batches with a gradient']:.1%} of the batches and "
    f"*the* in {the['batches with a gradient']:.0%}. SGD gives both the step size "
    f"{sgd_alpha:g}; Adam's effective step size is {the['Adam step size α/(√v̂+ε)']:.3g} for "
    f"*the* and {xylo['Adam step size α/(√v̂+ε)']:.3g} for *xylophone*, so the rare weight moved "
    f"{xylo['Adam moved it by']:.3g} with Adam against {xylo['SGD moved it by']:.3g} with SGD.")
csv_download(table, "words.csv", "Download the word table as CSV")
sgd_moved, adam_moved = rw.rare_movement(exp)
st.markdown(
    f"At the same step size α = {rw.SHARED_ALPHA:g}, the "
    f"{exp.true_weights.size - rw.RARE_RANK} rarest words' "
    f"weights moved **{adam_moved:.3g}** on average with Adam and **{sgd_moved:.3g}** with SGD.")

st.divider()
st.markdown(lesson_text("one_rate_bowl"))
bowl_alpha = st.select_slider(oc.BOWL_SGD.label, oc.BOWL_SGD.options, key=oc.BOWL_SGD.key,
                              format_func=fmt)
bowl_figure, bowl_table = bowl(bowl_alpha, animation_speed(), narrow())
chart(bowl_figure, key="bowl")
st.caption(f"SGD (α = {bowl_alpha:g}) and Adam (α = {orate.ADAM_BOWL_ALPHA:g}) on the elongated "
           f"bowl for {orate.BOWL_STEPS} steps; press Play. The table gives how far each still "
           "is from the minimum along each direction.")
st.dataframe(bowl_table, hide_index=True, width="stretch", column_config={
    c: st.column_config.NumberColumn(format="%.3g") for c in bowl_table.columns[1:3]})

st.divider()
st.markdown(lesson_text("one_rate_scale"))
left, right = st.columns(2)
c = left.select_slider(oc.SCALE.label, oc.SCALE.options, key=oc.SCALE.key, format_func=fmt)
eps = right.select_slider(oc.SCALE_EPS.label, oc.SCALE_EPS.options, key=oc.SCALE_EPS.key,
                          format_func=fmt)
scale_figure, differences = scaling(c, eps)
chart(scale_figure, key="scale")
st.markdown(f"Largest distance between the path on the loss and on {c:g} × the loss: "
            f"Adam **{differences['Adam']}**, SGD **{differences['SGD']}**.")
st.caption(f"Solid: {orate.SCALE_STEPS} steps on the bowl; dotted: the same optimizer, same α, "
           f"on {c:g} times the bowl. Adam's two paths lie on top of each other.")
show_code(SGD, Adam)
reset_button(oc.SPECS)
publish(oc.SPECS)
