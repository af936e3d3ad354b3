"""Lesson 7: how much tuning Adam needs, as the area of the good region."""
import streamlit as st

from explainers import fair_race, tuning
from explainers.code_export import Problem, Setting
from explainers.race.controls import start_problem
from explainers.race.landscape import paths_figure, stopped
from optim import SGD, Adam
from optim.surfaces import SURFACES
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import chart, csv_download, show_code
from ui.slides import caption_rem
from ui.take_away import take_away
from ui.url_sync import reset_button, set_values

GRIDS = {g.key: g for g in tuning.GRIDS}


@st.cache_data(max_entries=32, show_spinner=f"Running {len(tuning.GRIDS) * tuning.N ** 2:,} "
                                             f"optimizers for {tuning.STEPS} steps...")
def final_losses(surface, start, fog, seed):
    return {g.key: tuning.final_loss(tuning.grid_run(g, surface, start, fog, seed), surface)
            for g in tuning.GRIDS}


@st.cache_data(max_entries=32, show_spinner="Tuning every racer on its grid of step sizes...")
def fair_field(surface, start, fog, seed, steps, rivals):
    return fair_race.field(surface, start, fog, seed, steps, rivals)


@st.cache_data(max_entries=32, show_spinner=False)
def cell_run(key, surface, start, row, col, fog, seed):
    return tuning.cell_run(GRIDS[key], surface, start, row, col, fog, seed)


def on_surface_change():
    start = SURFACES[st.session_state[tuning.SURFACE.key]].start
    set_values({tuning.START_X.key: start[0], tuning.START_Y.key: start[1]})
    st.session_state.pop("cell", None)


def on_pick(key):
    points = st.session_state[f"heat_{key}"].selection.get("points", [])
    if points and points[0].get("customdata") is not None:
        row, col = points[0]["customdata"]
        st.session_state["cell"] = (key, int(row), int(col))


page = lesson_page(tuning.SPECS + fair_race.SPECS)
surface_key = st.session_state[tuning.SURFACE.key]
issue = start_problem(surface_key, st.session_state[tuning.START_X.key],
                      st.session_state[tuning.START_Y.key])
if issue:
    page.problems.append(issue)
    on_surface_change()
page.notice()
page.prose("intro", "How much tuning Adam needs", tuning.GridSize())

with st.sidebar:
    st.header("The experiment")
    control(tuning.SURFACE, on_change=on_surface_change)
    x0, x1, y0, y1 = SURFACES[surface_key].box
    a, b = st.columns(2)
    control(tuning.START_X, a, low=x0, high=x1, step=0.1, format="%.3f")
    control(tuning.START_Y, b, low=y0, high=y1, step=0.1, format="%.3f")
    control(tuning.FOG)
    control(tuning.SEED, step=1, disabled=st.session_state[tuning.FOG.key] == 0)
    control(tuning.THRESHOLD)

reset_button(tuning.SPECS + fair_race.SPECS)

values = {spec.key: st.session_state[spec.key] for spec in tuning.SPECS}
start = (float(values[tuning.START_X.key]), float(values[tuning.START_Y.key]))
threshold = values[tuning.THRESHOLD.key]
page.ask("wider", surface=surface_key, x0=start[0], y0=start[1], fog=values[tuning.FOG.key],
         seed=int(values[tuning.SEED.key]), threshold=threshold, within=tuning.SAME_WITHIN)
losses = final_losses(surface_key, start, values[tuning.FOG.key], int(values[tuning.SEED.key]))
shares = {key: tuning.good_share(loss, threshold) for key, loss in losses.items()}
cell = st.session_state.get("cell")


@st.cache_data(max_entries=64, show_spinner=False)
def heatmap_figure(key, loss, threshold, chosen):
    return tuning.heatmap_figure(GRIDS[key], loss, threshold, chosen)


def heatmap(grid, more: float = 0.0):
    st.metric(f"Good region, {grid.title.split(':')[0]} ({grid.y_label})",
              f"{shares[grid.key]:.1%} of the grid")
    chosen = cell[1:] if cell and cell[0] == grid.key else None
    chart(heatmap_figure(grid.key, losses[grid.key], threshold, chosen),
          key=f"heat_{grid.key}", on_select=lambda k=grid.key: on_pick(k),
          selection_mode="points", reserve=page.reserve(more=METRIC_REM + more))


def clicked_run(more: float):
    """The run of the heatmap cell the learner clicked, its path and its program."""
    if not cell:
        st.info("Click a cell of a heatmap to see that run's path here.")
        return
    key, row, col = cell
    grid = GRIDS[key]
    result = cell_run(key, surface_key, start, row, col, values[tuning.FOG.key],
                      int(values[tuning.SEED.key]))
    label = f"α = {tuning.ALPHAS[col]:.3g}, {grid.y_label} = {grid.y_values[row]:.4g}"
    above = float(result.losses[-1]) - SURFACES[surface_key].min_value
    status = (f"diverged at step {int(result.diverged_at)}" if result.diverged
              else f"final loss {above:.3g} above the minimum")
    st.metric(f"The run you clicked ({grid.title.split(':')[0]})", label)
    page.figure(paths_figure(SURFACES[surface_key], [(label, stopped(result), grid.colour,
                                                      "solid")], height=420),
                "cell_path", f"{label}: {status}.", share=0.5, more=METRIC_REM + more)
    adam = grid.optimizer(tuning.ALPHAS[col], grid.y_values[row])
    if isinstance(adam, Adam) and not page.deck:
        take_away(Problem("How much tuning Adam needs", start, tuning.STEPS, surface=surface_key),
                  Setting(float(adam.lr), float(adam.beta1), float(adam.beta2), adam.eps),
                  note="This cell's Adam, from the lesson's start"
                       + (", without the fog (its noise is the app's own)."
                          if values[tuning.FOG.key] else "."))


METRIC_REM = 5  # a heatmap's metric above it
adam_beta1, adam_beta2, sgd_momentum = tuning.GRIDS
caption = page.text("caption", landscape=SURFACES[surface_key].name, x0=f"{start[0]:g}",
                    y0=f"{start[1]:g}", steps=tuning.STEPS, threshold=f"{threshold:g}",
                    **{key: f"{share:.1%}" for key, share in shares.items()})
if page.slide("Adam's good region"):
    top = st.columns(2)
    with top[0]:
        heatmap(adam_beta1)
    with top[1]:
        heatmap(adam_beta2)
if page.slide("SGD with momentum's good region, and a run"):
    bottom = st.columns(2)
    with bottom[0]:
        heatmap(sgd_momentum, caption_rem(caption))
    st.caption(caption)
    with bottom[1]:
        clicked_run(caption_rem(caption))
page.prose("reading", "Reading the heatmaps", tuning.GridSize())
if not page.deck:
    csv_download(lambda: tuning.grid_table(losses), "tuning-grids.csv",
                 "Download all three grids as CSV")

if page.section("A fair race"):
    st.markdown(page.text("fair_intro", fair_race.Budget()))
    pick, length = st.columns([3, 1])
    control(fair_race.RIVALS, pick)
    control(fair_race.STEPS, length)
rivals = tuple(k for k in fair_race.RIVALS.options if k in st.session_state[fair_race.RIVALS.key])
if rivals:
    steps = st.session_state[fair_race.STEPS.key]
    fog, seed = values[tuning.FOG.key], int(values[tuning.SEED.key])
    verdict = page.ask("fair", surface=surface_key, x0=start[0], y0=start[1], fog=fog,
                       seed=seed, steps=steps, rivals=rivals, level=fair_race.LEVEL,
                       budget=fair_race.BUDGET, seeds=fair_race.SEEDS,
                       against=", ".join(fair_race.RIVALS.show(k) for k in rivals))
    racers = fair_field(surface_key, start, fog, seed, steps, rivals)
    if page.slide("Every racer at its best step size"):
        scores, route = st.columns([3, 2])
        chart(fair_race.scores_figure(racers), key="fair_scores", where=scores)
        chart(fair_race.race_map(racers, surface_key), key="fair_map", where=route)
    if page.slide("The fair race's table"):
        page.table(fair_race.fair_table(racers), hide_index=True, width="stretch")
        st.caption(" ".join([page.text("fair_caption", verdict, seed=seed)]
                            + ([page.text("fair_edge", verdict)] if verdict.edges else [])
                            + ([page.text("fair_clear")] if fog == 0 else [])))
elif page.slide("No race"):
    st.info("Pick at least one racer to race Adam.")
page.prose("fair_closing", "What fair tuning changes", fair_race.hiker_race())

if page.section("Momentum under fog"):
    st.markdown(page.text("momentum", seeds=len(tuning.FOG_SEEDS), mu=tuning.MOMENTUM,
                          steps=tuning.MOMENTUM_STEPS))
page.ask("small_steps")
if page.slide("Momentum's gain as the fog thickens"):
    page.figure(tuning.momentum_figure(), "momentum",
                page.text("momentum_caption", tuning.small_step_gain()))
if not page.deck:
    show_code(Adam, SGD)
page.checks()
page.publish()
