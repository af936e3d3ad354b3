"""The race's controls and stage, shared by the foggy hiker and the playground."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import streamlit as st

from explainers import foggy_hiker as fh
from explainers.code_export import Problem, Setting
from explainers.race import controls as hc
from explainers.race.figure import guess_map, race_figure, race_figure_3d
from explainers.race.racers import RACERS
from explainers.race.setup import (
    VALLEY_FLOOR,
    RaceSetup,
    result_table,
    run_solo,
    solo_setups,
    trajectory_table,
)
from optim.surfaces import PRESETS
from ui import progress
from ui.controls import control
from ui.page_tools import animation_speed, chart, csv_download, projector, show_code
from ui.screen import narrow
from ui.take_away import take_away
from ui.url_sync import set_values

#: the controls drawn by race_controls (every race control but the landscape)
RACE_SPECS = tuple(spec for spec in hc.SPECS if spec is not hc.SURFACE)


WAIT_S = 20.0  # how long a race on a learner's formula waits for its turn


class ServerBusy(Exception):
    """Other learners' formulas kept the formula worker busy for longer than WAIT_S."""


@st.cache_resource
def _formula_worker() -> ProcessPoolExecutor:
    """One process, shared by every session, that races on learners' formulas one run at a
    time. A formula's run is Python work on two numbers per step: in the server's own
    process it would hold the interpreter lock, and every other learner's rerun would
    queue behind it; in its own process it takes one core and leaves the server the other."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


@st.cache_data(max_entries=256, show_spinner=False)
def solo_run(solo: RaceSetup):
    """One racer's run (a learner's formula: in the formula worker, waiting its turn)."""
    if not solo.landscape.parts:
        return run_solo(solo)
    future = _formula_worker().submit(run_solo, solo)
    try:
        return future.result(timeout=WAIT_S)
    except TimeoutError:
        if future.done():  # the run's own time limit
            raise
        future.cancel()
        raise ServerBusy(f"The server has been busy with other learners' formulas for "
                         f"{WAIT_S:g} s. Change any setting to try again.") from None


def _runs(setup: RaceSetup):
    return [solo_run(solo) for solo in solo_setups(setup)]


def race(setup: RaceSetup):
    """Every racer's run, each cached on its own."""
    if not setup.landscape.parts:
        return _runs(setup)
    with st.spinner("Racing on your formula (the server races one formula at a time)..."):
        return _runs(setup)


@st.cache_data(max_entries=64, show_spinner=False)
def figure(setup: RaceSetup, view: str, routes: bool, speed: str, narrow: bool, guess=None,
           screen=None):
    """The race's figure (``screen``: built for a slide, see ui.page_tools.projector)."""
    results = _runs(setup)  # race_stage has run them: cached
    if view == "3d":
        return race_figure_3d(setup, results, guess)
    return race_figure(setup, results, show_routes=routes, speed=speed,
                       compact=view == "map-only", narrow=narrow, guess=guess,
                       projector=screen)


def on_map_click(landscape):
    """Start where the map was clicked (``landscape``: the one drawn, maybe turned)."""
    points = st.session_state["map"].selection.get("points", [])
    if points:
        unturned = landscape.turned_from or landscape
        start = hc.start_from_map(unturned.key, landscape.angle,
                                  (points[0]["x"], points[0]["y"]))
        set_values({hc.START_X.key: start[0], hc.START_Y.key: start[1]})


def result_strip(results, surface, page=None) -> None:
    """The race's result table, its numbers written for reading (on ``page``'s slide if
    it has one)."""
    (page.table if page is not None else st.dataframe)(
        result_table(results, surface), hide_index=True, width="stretch",
        column_config={"Final loss": st.column_config.NumberColumn(format="%.4g"),
                       "Distance to nearest minimum": st.column_config.NumberColumn(format="%.3g")})


def race_controls(box, on_reset) -> None:
    """Every race control but the landscape, in the current container (the sidebar);
    ``box``: the landscape's own map (unturned), where the start is given."""
    control(hc.ANGLE)
    for spec in (hc.RACER_CHOICE, hc.ALPHA_SGD, hc.ALPHA_ADAPTIVE, hc.BETA1, hc.BETA2, hc.EPS,
                 hc.STEPS, hc.FOG):
        control(spec)
    control(hc.SEED, step=1, disabled=st.session_state[hc.FOG.key] == 0)
    x0, x1, y0, y1 = box
    sx, sy = st.columns(2)
    control(hc.START_X, sx, low=x0, high=x1, step=0.1, format="%.3f")
    control(hc.START_Y, sy, low=y0, high=y1, step=0.1, format="%.3f")
    st.caption("Or click the map to start there.")
    for spec in (hc.SPEED, hc.VIEW, hc.ROUTES):
        control(spec)
    st.button("Reset to the paper's defaults", on_click=on_reset, width="stretch", key="reset",
              help="β₁ = 0.9, β₂ = 0.999, ε = 1e-8; learning rates suited to this landscape.")


# -- the foggy hiker's prediction: where the racer ends, a point picked on a still map --

WHERE = "where"  # the prediction's id in explainers/text/foggy_hiker.toml
_ANSWER = f"predict_foggy_hiker_{WHERE}_answer"  # its x and y boxes are _ANSWER + "_x", "_y"


def _on_guess_click():
    points = st.session_state["guess_map"].selection.get("points", [])
    if points:
        st.session_state[f"{_ANSWER}_x"] = round(float(points[0]["x"]), 3)
        st.session_state[f"{_ANSWER}_y"] = round(float(points[0]["y"]), 3)


def predict_where(page, setup: RaceSetup):
    """Ask where the race's racer (Adam, if it races) ends, before the race is shown:
    a still map of the landscape to click on, and the prediction's x and y boxes. Until
    the learner commits, the page ends here (``page.ask``). Returns the truth, or None
    if no racer races (nothing to predict). On slides the still map is a slide of its
    own, before the question."""
    if fh.asked_racer(setup) is None:
        return None
    made, _, _ = progress.prediction(f"foggy_hiker/{WHERE}")
    if page.slide("Before the race") if page.deck else not made:
        start = setup.start_point
        if page.deck:
            st.markdown(fh.landscape_line(setup.landscape))
        before = page.text("before", start=f"({start[0]:g}, {start[1]:g})", steps=setup.steps)
        st.markdown(before)
        x, y = (st.session_state.get(f"{_ANSWER}_{axis}") for axis in "xy")
        picked = (x, y) if x is not None and y is not None else None
        click = "Click the map to put your guess in the boxes below (or type it there)."
        chart(guess_map(setup, picked), key="guess_map", on_select=_on_guess_click,
              selection_mode="points",
              reserve=page.reserve(before, more=4) if page.deck else page.reserve(click))
        if not page.deck:
            st.caption(click)
    return page.ask(WHERE, **fh.where_settings(setup))


def guessed_point():
    """The learner's committed guess for the foggy hiker's race, if it is a point."""
    made, guess, _ = progress.prediction(f"foggy_hiker/{WHERE}")
    return tuple(float(v) for v in guess) if made and guess is not None else None


def race_stage(setup: RaceSetup, guess: tuple[float, float] | None = None,
               page=None) -> None:
    """The animated race (with the learner's ``guess`` marked, if given), its caption and
    the result strip; on a lesson's slides (``page``'s deck) the race and the results are
    two slides, without the downloads and code."""
    deck = page.deck if page is not None else None
    if not setup.racers:
        if deck is None or deck.slide("The race"):
            st.info("Pick at least one racer to start the race.")
        return
    results = race(setup)
    surface = setup.landscape
    if deck is None or deck.slide("The race"):
        _race(setup, results, guess, deck is not None)
    if deck is None or deck.slide("The result"):
        result_strip(results, surface, page)
        st.caption(f"The valley floor: within {VALLEY_FLOOR:.0%} of the map's diagonal from a "
                   "minimum.")
    if deck is None:
        _take_away(setup, results)


def _race(setup: RaceSetup, results, guess, on_slide: bool) -> None:
    surface = setup.landscape
    view = st.session_state[hc.VIEW.key]
    chosen = st.session_state[hc.SPEED.key]
    speed = animation_speed(chosen, adjustable=True)
    held_still = speed == "still" and chosen != "still"  # the reader asked for reduced motion
    fitted = on_slide and view != "3d"
    spec = figure(setup, view, st.session_state[hc.ROUTES.key], speed, narrow(), guess,
                  projector(CAPTION_REM) if fitted else None)
    chart(spec, key="map", on_select=partial(on_map_click, surface), selection_mode="points",
          fitted=fitted, reserve=CAPTION_REM)
    st.caption(
        f"{surface.name}: every racer starts at ({setup.start_point[0]:g}, "
        f"{setup.start_point[1]:g}) and takes {setup.steps} steps"
        + (f" in fog of {setup.fog:g} times the typical slope (seed {setup.seed})"
           if setup.fog else "")
        + (". Drag the step slider" if speed == "still" else ". Press Play or drag the step slider")
        + ("; Adam's numbers and the loss chart follow it." if view == "map" else ".")
        + (" Your browser asks for reduced motion, so the race does not play: choose an "
           "animation speed to play it." if held_still else "")
        + (" Your guess is the ✕." if guess is not None else ""))


CAPTION_REM = 3.8  # the race's caption on a slide: two lines


def _take_away(setup: RaceSetup, results) -> None:
    """For a learner alone: every position as CSV, Adam's race as a program, the code."""
    csv_download(lambda: trajectory_table(results), "race.csv", "Download every position as CSV")
    if setup.surface in PRESETS:  # a built-in landscape: Adam's race as a program
        s = setup.settings
        take_away(Problem("The foggy hiker", tuple(setup.start_point), setup.steps,
                          surface=setup.surface),
                  Setting(s.alpha_adaptive, s.beta1, s.beta2, s.eps),
                  note="Adam's run of this race, from its start"
                       + (", without the fog (its noise is the app's own)." if setup.fog
                          else "."))
    show_code(*(type(RACERS[k].make(setup.settings)) for k in setup.racers))
