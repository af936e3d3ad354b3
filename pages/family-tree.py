"""Lesson 10: Adam's family. What each relative changes and keeps, a race on a landscape,
and Adafactor and Muon on a matrix."""
import streamlit as st

from explainers import family_tree as ft
from explainers.race.figure import race_figure
from explainers.race.racers import RACERS
from explainers.race.setup import run_race
from optim import Adafactor, Muon
from optim.surfaces import SURFACES
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import animation_speed, csv_download, projector, show_code
from ui.race_ui import result_strip
from ui.screen import narrow
from ui.url_sync import reset_button


@st.cache_data(max_entries=16, show_spinner=False)
def landscape_figure(setup, speed, narrow, screen):
    return race_figure(setup, run_race(setup), compact=True, speed=speed, narrow=narrow,
                       projector=screen)


page = lesson_page(ft.SPECS)
page.notice()
with st.sidebar:
    st.header("The race")
    control(ft.SURFACE)
    control(ft.STEPS)
    st.header("The matrix")
    control(ft.RANK)
    control(ft.MATRIX_STEPS)
reset_button(ft.SPECS)
values = {spec.key: st.session_state[spec.key] for spec in ft.SPECS}

rows, cols = ft.MATRIX
page.prose("intro", "Adam's relatives", rows=rows, cols=cols, **ft.per_weight_text())

if page.section("On a landscape"):
    st.markdown(page.text("race"))
setup = ft.race_setup(values)
if page.slide("The race"):
    caption = page.text("race_caption", landscape=SURFACES[setup.surface].name,
                        alpha=f"{setup.settings.alpha_adaptive:g}", steps=setup.steps)
    page.figure(landscape_figure(setup, animation_speed(), narrow(),
                                 projector(page.reserve(caption))),
                "family_race", caption, fitted=True)
if page.slide("Where they ended"):
    result_strip(run_race(setup), setup.landscape, page)

rank, steps = int(values[ft.RANK.key]), int(values[ft.MATRIX_STEPS.key])
if page.section("On a matrix"):
    st.markdown(page.text("matrix", rank=rank, n=ft.N, batch=ft.BATCH, tries=len(ft.MATRIX_LRS)))
page.ask("muon", rank=rank, step=1, steps=steps)
if page.slide("Singular values and loss"):
    left, right = st.columns(2)
    page.figure(ft.singular_figure(rank, 1, steps), "singular", where=left, share=0.5)
    page.figure(ft.matrix_loss_figure(rank, steps), "matrix_loss", where=right, share=0.5)
page.prose("singular", "What a step of a matrix moves", ft.muon_spread(rank, 1, steps),
           rank=rank, n=ft.N, lift=f"{ft.newton_schulz_lift():.0f}")
matrix_table = ft.matrix_table(rank, steps)
adafactor = ft.adafactor_state(ft.N, ft.N)
if page.slide("What the fit shows"):
    page.table(matrix_table, hide_index=True, width="stretch")
    st.markdown(page.text("matrix_after", verdict=ft.matrix_verdict(rank, steps),
                          adafactor_matrix=adafactor.answer, adam_matrix=adafactor.adam))
if not page.deck:
    csv_download(matrix_table, "matrix-fit.csv", "Download the matrix table as CSV")
    show_code(*(type(RACERS[k].make(setup.settings)) for k in setup.racers), Adafactor, Muon)
page.checks()
page.publish()
