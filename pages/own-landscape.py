"""Playground: the learner's own loss surface, raced by every optimizer."""
from dataclasses import replace

import streamlit as st

from explainers import own_landscape as pg
from explainers.race import controls as hc
from explainers.race.setup import WORK_BUDGET, affordable_steps
from explainers.safe_text import markdown_literal
from optim.expression import ExpressionError
from optim.surfaces import PRESETS, SURFACES, surface
from ui.controls import control
from ui.lesson import lesson_page
from ui.race_ui import RACE_SPECS, ServerBusy, race_controls, race_stage
from ui.url_sync import set_values

SPECS = pg.MAP_SPECS + RACE_SPECS
GOOD = "playground_last_good"  # the last formula and map that worked


def on_preset():
    name = st.session_state["preset"]
    if name:
        set_values(pg.preset_values(name))


def on_reset():
    set_values({spec.key: spec.default for spec in RACE_SPECS})


def on_map_change():
    box = [st.session_state[s.key] for s in (pg.X_MIN, pg.X_MAX, pg.Y_MIN, pg.Y_MAX)]
    if box[0] < box[1] and box[2] < box[3]:  # keep the start on the new map
        set_values({hc.START_X.key: (box[0] + box[1]) / 2, hc.START_Y.key: (box[2] + box[3]) / 2})


page = lesson_page(SPECS)
page.notice()
st.markdown(page.text("intro"))

values = {spec.key: st.session_state[spec.key] for spec in SPECS}
key = pg.key_from(values)
try:
    landscape = surface(key)
    error = hc.start_problem(key, values[hc.START_X.key], values[hc.START_Y.key])
except (ExpressionError, ValueError) as err:
    landscape, error = None, str(err)
if landscape is not None and error is None:
    st.session_state[GOOD] = key
good_key = st.session_state.get(GOOD, pg.key_from({s.key: s.default for s in pg.MAP_SPECS}))
shown = surface(good_key)
if hc.start_problem(good_key, st.session_state[hc.START_X.key], st.session_state[hc.START_Y.key]):
    set_values({hc.START_X.key: shown.start[0], hc.START_Y.key: shown.start[1]})

with st.sidebar:
    st.header("Your landscape")
    st.selectbox("Start from a preset", [None] + list(PRESETS), key="preset", on_change=on_preset,
                 format_func=lambda k: "choose one..." if k is None else SURFACES[k].name)
    control(pg.FORMULA)
    a, b = st.columns(2)
    for spec, where in ((pg.X_MIN, a), (pg.X_MAX, b), (pg.Y_MIN, a), (pg.Y_MAX, b)):
        control(spec, where, on_change=on_map_change)
    st.header("Race settings")
    race_controls(shown.box, on_reset)

if error:
    st.error(f"{markdown_literal(error)} The race below still shows the last formula that "
             "worked.")
st.code(f"f(x, y) = {shown.formula}", language="python")
values = {spec.key: st.session_state[spec.key] for spec in SPECS}
setup = replace(hc.setup_from({**values, hc.SURFACE.key: good_key}), time_limit=pg.TIME_LIMIT)
steps = affordable_steps(setup)
if steps < setup.steps:
    st.info(f"Your formula has {shown.parts} parts, so each racer takes {steps:,} steps "
            f"instead of {setup.steps:,}: one change may ask for at most {WORK_BUDGET:,} "
            "racers × steps × parts, so that a whole class can share this server. Fewer "
            "racers or a shorter formula allow more steps.")
    setup = replace(setup, steps=steps)
try:
    race_stage(setup)
except TimeoutError as err:
    st.error(f"{err} Try a simpler formula or fewer steps.")
except ServerBusy as err:
    st.warning(str(err))
page.publish()
