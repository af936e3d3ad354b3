"""Lesson 1: the problem with one learning rate."""
import streamlit as st

from explainers import one_learning_rate as oc
from explainers import rare_words as rw
from explainers.race.figure import race_figure
from explainers.race.setup import run_race
from optim import SGD, Adam
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import animation_speed, chart, csv_download, projector, show_code
from ui.screen import narrow
from ui.url_sync import reset_button

#: the word table's last columns, named to fit the width of a page or a slide (the full
#: names are their columns' tooltips)
SHORT_HEADINGS = ("SGD's α", "Adam's α/(√v̂+ε)", "SGD moved it", "Adam moved it", "true weight")


@st.cache_data(show_spinner="Training logistic regressions on the sentences...")
def experiment():
    return rw.run_experiment()


@st.cache_data(max_entries=32, show_spinner=False)
def bowl(alpha_sgd, speed, narrow, screen):
    setup = oc.bowl_setup(alpha_sgd)
    results = run_race(setup)
    return (race_figure(setup, results, compact=True, speed=speed, narrow=narrow,
                        projector=screen),
            oc.bowl_table(results))


@st.cache_data(max_entries=32, show_spinner=False)
def scaling(c, eps):
    runs = oc.scale_runs(c, eps)
    return oc.scale_figure(runs, c), {k: oc.path_difference(*v) for k, v in runs.items()}


page = lesson_page(oc.SPECS)
page.notice()
page.prose("intro", "One α for every weight", rw.Setup())

exp = experiment()
sgd_alpha, adam_alpha = (st.session_state[spec.key] for spec in (oc.WORDS_SGD, oc.WORDS_ADAM))
if page.slide("Common words and rare words"):
    left, right = st.columns(2)
    control(oc.WORDS_SGD, left)
    control(oc.WORDS_ADAM, right)
    caption = (
        f"Test loss after training, on held-out sentences made only of the {rw.COMMON_RANK} most "
        f"common words (solid) and on sentences with at least one word outside the "
        f"{rw.RARE_RANK} most common (dashed). The open circles mark the learning rates on the "
        "sliders.")
    chart(rw.loss_figure(exp, sgd_alpha, adam_alpha), key="words_loss",
          reserve=page.reserve(caption, more=5.5))  # 5.5: the sliders
    st.caption(caption)
best = rw.best_alphas(exp, adam_alpha)
page.prose("best", "The best α for each", best, verdict=(
    "Here one α happens to be best for both." if best.one_fits_both
    else "No single α is best for both: every choice is a compromise."))

words = rw.two_words(exp, sgd_alpha, adam_alpha)
page.prose("pair", "Two words", words, the_share=f"{words.the_share:.0%}",
           rare_share=f"{words.rare_share:.2%}")
page.ask("farther", sgd_alpha=sgd_alpha, adam_alpha=adam_alpha)

table = rw.word_table(exp, sgd_alpha, adam_alpha)
if page.slide("How far each weight moved"):
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "batches with a gradient": st.column_config.NumberColumn(format="percent"),
        **{c: st.column_config.NumberColumn(short, help=c, format="%.3g")
           for c, short in zip(table.columns[3:], SHORT_HEADINGS)}})
    st.markdown(page.text("words", words))
if not page.deck:
    csv_download(table, "words.csv", "Download the word table as CSV")
page.prose("rare", "The rarest words", rw.rare_words(exp))

if not page.deck:
    st.divider()
page.prose("bowl", "The same dilemma on a landscape")
bowl_alpha = st.session_state[oc.BOWL_SGD.key]
caption = page.text("bowl_caption", sgd_alpha=f"{bowl_alpha:g}",
                    adam_alpha=f"{oc.ADAM_BOWL_ALPHA:g}", steps=oc.BOWL_STEPS)
bowl_figure, bowl_table = bowl(bowl_alpha, animation_speed(), narrow(),
                               projector(page.reserve(caption, more=4)))  # 4: the slider
if page.slide("The elongated bowl"):
    control(oc.BOWL_SGD)
    page.figure(bowl_figure, "bowl", caption, fitted=True)
if page.slide("Distance left to the minimum"):
    st.dataframe(bowl_table, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%.3g") for c in bowl_table.columns[1:3]})

if not page.deck:
    st.divider()
c, eps = (st.session_state[spec.key] for spec in (oc.SCALE, oc.SCALE_EPS))
if page.slide("Multiply the loss by a constant"):
    st.markdown(page.text("scale"))
    left, right = st.columns(2)
    control(oc.SCALE, left)
    control(oc.SCALE_EPS, right)
page.ask("whose_path", c=int(c) if c >= 1 else c, eps=eps)  # 1,000 reads better than 1e+03
scale_figure, differences = scaling(c, eps)
if page.slide("The path on c × the loss"):
    caption = page.text("scale_caption", steps=oc.SCALE_STEPS, c=f"{c:g}")
    chart(scale_figure, key="scale", reserve=page.reserve(caption, more=2.5))
    st.caption(caption)
    st.markdown(page.text("scale_gap", c=f"{c:g}", adam=differences["Adam"],
                          sgd=differences["SGD"]))
page.prose("scale_why", "Why Adam ignores the scale")
if not page.deck:
    show_code(SGD, Adam)
reset_button(oc.SPECS)
page.checks()
page.publish()
