"""Lesson 2: the foggy hiker. SGD and Adam race on a 2D loss landscape."""
import streamlit as st

from explainers import foggy_hiker as fh
from explainers.race import controls as hc
from explainers.race import turning
from optim.surfaces import SURFACES
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import chart
from ui.race_ui import guessed_point, predict_where, race_controls, race_stage
from ui.url_sync import set_values


def on_surface_change():
    set_values({k: v for k, v in hc.defaults_for(st.session_state[hc.SURFACE.key]).items()
                if k in (hc.ALPHA_SGD.key, hc.ALPHA_ADAPTIVE.key, hc.START_X.key, hc.START_Y.key)})


def on_reset():
    set_values(hc.defaults_for(st.session_state[hc.SURFACE.key]))


@st.cache_data(max_entries=32, show_spinner=False)
def turned(setup):
    """The race at every angle: its chart, its table and the closing note."""
    sweep = turning.sweep(setup)
    return turning.sweep_figure(sweep), turning.sweep_table(sweep), turning.lead_note(sweep)


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

angle = st.session_state[hc.ANGLE.key]
if not page.deck:  # on slides, it heads the slide before the race
    st.markdown(fh.landscape_line(surface))
    if angle:
        centre = surface.minima[0]
        st.markdown(page.text("turned", angle=f"{angle}°",
                              centre=f"({centre[0]:g}, {centre[1]:g})"))
setup = hc.setup_from({spec.key: st.session_state[spec.key] for spec in hc.SPECS})
predict_where(page, setup)  # before the race: where does Adam end up?
race_stage(setup, guessed_point(), page)
page.prose("read", "Reading the picture")

if setup.racers:  # turning the race's landscape: every angle at once
    if not page.deck:
        st.subheader("Turn the landscape")
    page.prose("turn", "Turn the landscape", low=f"{turning.ANGLES[0]}°",
               high=f"{turning.ANGLES[-1]}°", every=f"{turning.ANGLES[1] - turning.ANGLES[0]}°",
               floor=f"{turning.LOSS_FLOOR:g}", at_minimum=turning.AT_MINIMUM)
    page.ask("turn", **fh.turn_settings(setup))
    figure, table, note = turned(setup)
    if page.slide("Every angle at once"):
        caption = page.text("turn_caption", note)
        chart(figure, key="angles", reserve=page.reserve(caption))
        if not page.deck:
            st.dataframe(table, hide_index=True, width="stretch")
        st.caption(caption)
page.checks()
page.publish()
