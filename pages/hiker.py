"""Lesson 2: the foggy hiker. SGD and Adam race on a 2D loss landscape."""
import streamlit as st

from explainers import hiker_controls as hc
from explainers.text import lesson_text
from optim.surfaces import SURFACES
from pages.race_ui import race_controls, race_stage
from pages.url_sync import publish, restore, set_values, show_problems


def on_surface_change():
    set_values({k: v for k, v in hc.defaults_for(st.session_state[hc.SURFACE.key]).items()
                if k in (hc.ALPHA_SGD.key, hc.ALPHA_ADAPTIVE.key, hc.START_X.key, hc.START_Y.key)})


def on_reset():
    set_values(hc.defaults_for(st.session_state[hc.SURFACE.key]))


st.title("2. The foggy hiker")
problems = restore(hc.SPECS)
surface_key = st.session_state[hc.SURFACE.key]
start_issue = hc.start_problem(surface_key, st.session_state[hc.START_X.key],
                               st.session_state[hc.START_Y.key])
if start_issue:
    problems.append(start_issue)
    on_surface_change()
show_problems(problems)

with st.expander("The story and the update rule", expanded=False):
    st.markdown(lesson_text("hiker_intro"))

surface = SURFACES[surface_key]
with st.sidebar:
    st.header("Race settings")
    st.selectbox(hc.SURFACE.label, hc.SURFACE.options, key=hc.SURFACE.key,
                 format_func=lambda k: SURFACES[k].name, on_change=on_surface_change)
    race_controls(surface.box, on_reset)

st.markdown(f"**{surface.name}.** {surface.story}  $\\quad {surface.formula}$")
race_stage(hc.setup_from({spec.key: st.session_state[spec.key] for spec in hc.SPECS}))
st.markdown(lesson_text("hiker_read"))
publish(hc.SPECS)
