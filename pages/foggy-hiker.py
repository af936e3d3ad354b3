"""Lesson 2: the foggy hiker. SGD and Adam race on a 2D loss landscape."""
import streamlit as st

from explainers import foggy_hiker as fh
from explainers.race import controls as hc
from optim.surfaces import SURFACES
from ui.controls import control
from ui.lesson import lesson_page
from ui.race_ui import guessed_point, predict_where, race_controls, race_stage
from ui.url_sync import set_values


def on_surface_change():
    set_values({k: v for k, v in hc.defaults_for(st.session_state[hc.SURFACE.key]).items()
                if k in (hc.ALPHA_SGD.key, hc.ALPHA_ADAPTIVE.key, hc.START_X.key, hc.START_Y.key)})


def on_reset():
    set_values(hc.defaults_for(st.session_state[hc.SURFACE.key]))


page = lesson_page(hc.SPECS)
surface_key = st.session_state[hc.SURFACE.key]
start_issue = hc.start_problem(surface_key, st.session_state[hc.START_X.key],
                               st.session_state[hc.START_Y.key])
if start_issue:
    page.problems.append(start_issue)
    on_surface_change()
page.notice()

bound = fh.step_bound()
page.prose("intro", "The story and the update rule", folded=True,
           sparse_bound=f"{bound.sparse_bound:.3g} α", zeros=f"{bound.zeros:,}",
           sparse_step=f"{bound.sparse_step:.4g} α")

surface = SURFACES[surface_key]
with st.sidebar:
    st.header("Race settings")
    control(hc.SURFACE, on_change=on_surface_change)
    race_controls(surface.box, on_reset)

if not page.deck:  # on slides, it heads the slide before the race
    st.markdown(fh.landscape_line(surface))
setup = hc.setup_from({spec.key: st.session_state[spec.key] for spec in hc.SPECS})
predict_where(page, setup)  # before the race: where does Adam end up?
race_stage(setup, guessed_point(), page)
page.prose("read", "Reading the picture")
page.checks()
page.publish()
