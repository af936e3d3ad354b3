"""Lesson 5, warmup and schedules: the explainer's numbers, and the page with every control."""
import numpy as np
import pytest

from explainers import quiz
from explainers import warmup as wu
from optim import Adam
from optim.fog import Fog
from optim.runner import run
from optim.schedules import WarmupCosine
from optim.surfaces import SURFACES
from tests import apptest

DEFAULTS = {spec.key: spec.default for spec in wu.SPECS}


def test_the_first_step_is_sign_descent_whatever_the_gradient_size():
    first = wu.first_step(50.0, 0.05)
    np.testing.assert_allclose(first.steps, (1.0, 1.0), rtol=1e-5)
    assert first.answer == first.steps[1]


def test_early_steps_start_at_alpha_and_settle_shorter_with_a_narrower_adaptive_rate():
    result = wu.early_steps(0.999)
    numbers = wu.early(result)
    assert numbers.first == pytest.approx(1.0, rel=1e-6)  # every hiker: sign descent
    np.testing.assert_allclose(result.step[:, 0], 1.0, rtol=1e-6)
    assert numbers.later < 0.3 and numbers.times > 3
    assert numbers.spread_first > 10 > 2 > numbers.spread_last
    # the adaptive rate at step 1 is alpha / |g1|: for N(0, 1) gradients its 5th and 95th
    # percentiles are 1 / 1.96 and 1 / 0.063
    assert numbers.rate_low == pytest.approx(1 / 1.96, rel=0.05)
    assert numbers.rate_high == pytest.approx(1 / 0.0627, rel=0.15)


@pytest.mark.parametrize("beta2", wu.BETA2.options)
def test_radam_first_adapts_when_rho_exceeds_five(beta2):
    rect = wu.rectification(beta2)
    rho = [2 / (1 - beta2) - 1 - 2 * t * beta2 ** t / (1 - beta2 ** t) for t in range(1, 50)]
    assert rect.answer == 1 + next(i for i, r in enumerate(rho) if r > 5)
    assert rect.ma_yarats == round(2 / (1 - beta2))


def test_radam_never_adapting_is_said_not_hidden():
    with pytest.raises(ValueError, match="never takes an adaptive step"):
        wu.rectification(0.5)


def test_the_race_runs_every_seed_as_it_would_run_alone():
    values = {**DEFAULTS, wu.STEPS.key: 200}
    race = wu.race_for(values)
    surface = SURFACES[values[wu.SURFACE.key]]
    alone = run(surface, Adam(values[wu.ALPHA.key]), surface.start, 200,
                fog=Fog(wu.FOG.default * wu.typical_slope(surface.key), 5),
                schedule=WarmupCosine(total=200, warmup=100, min_factor=wu.FINAL.default))
    np.testing.assert_array_equal(race.runs["cosine"].positions[:, 5], alone.positions)
    assert race.runs["constant"].positions.shape == (201, wu.SEEDS, 2)


def test_the_prediction_names_the_run_the_table_ranks_first():
    values = tuple(sorted(DEFAULTS.items()))
    truth = wu.lowest(values)
    order = wu.ranked(wu.race_for(DEFAULTS))
    assert truth.answer == {order[0].key}
    assert truth.best == f"{order[0].median_final:.3g}"


def test_ties_are_all_right_and_nothing_reads_inf():
    values = {**DEFAULTS, wu.FOG.key: 0.0, wu.SURFACE.key: "himmelblau", wu.ALPHA.key: 1.0}
    truth = wu.lowest(tuple(sorted(values.items())))
    assert {"constant", "warmup", "cosine"} <= truth.answer and truth.ends == "end together"
    assert "inf" not in truth.second and truth.runs == "clear weather, one run each"
    assert "both end at the minimum" in wu.decay_effect(wu.race_for(values))


def test_clear_weather_is_one_run_each_and_the_decay_then_changes_little_or_slows():
    race = wu.race_for({**DEFAULTS, wu.FOG.key: 0.0, wu.ALPHA.key: 0.03})
    assert race.runs["constant"].positions.shape[1] == 1
    effect = wu.decay_effect(race)
    assert effect.startswith("Here")


def test_radam_note_only_when_radam_left_the_map():
    calm = wu.race_for(DEFAULTS)
    assert not calm.runs["radam"].diverged.any()
    assert wu.radam_note(calm, DEFAULTS[wu.ALPHA.key], DEFAULTS[wu.BETA2.key]) == ""
    # on Rosenbrock's steep valley RAdam's first, un-adapted steps (alpha times the slope)
    # leave the map
    wild = wu.race_for({**DEFAULTS, wu.SURFACE.key: "rosenbrock"})
    note = wu.radam_note(wild, DEFAULTS[wu.ALPHA.key], DEFAULTS[wu.BETA2.key])
    assert "RAdam left the map" in note and "0.424" in note  # Adam's first step: alpha sqrt 2


def test_cosine_check_is_a_quarter_through_the_decay():
    value = wu.cosine_at(325, 100, 1000)
    assert value.progress == 0.25
    assert value.answer == pytest.approx(0.5 * (1 + np.cos(np.pi / 4)))
    assert value.linear == 0.75


def test_every_check_has_a_computed_answer():
    for question in quiz.load("warmup").checks:
        result = quiz.truth(question)
        assert np.isfinite(float(result.answer))


def test_page_with_defaults_shows_every_figure_and_no_nan():
    at = apptest.open_page("pages/warmup.py")
    figures = apptest.figures(at)
    assert len(figures) == 4  # early steps, schedules, ends, losses
    for figure in figures:
        apptest.assert_finite(figure)
    text = " ".join(m.value for m in at.markdown)
    assert "nan" not in text.lower().split()
    assert "ends lowest" in text


@pytest.mark.parametrize("key, value", [
    ("alpha", 0.03), ("alpha", 1.0), ("warmup", 10), ("warmup", 3000), ("beta2", 0.9),
    ("beta2", 0.9999), ("fog", 0.0), ("fog", 3.0), ("steps", 200), ("steps", 3000), ("final", 0.3),
    ("surface", "rosenbrock"), ("surface", "tilted"),
])
def test_every_control_at_its_ends(key, value):
    at = apptest.open_page("pages/warmup.py")
    apptest.set_control(at, key, value)
    for figure in apptest.figures(at):
        apptest.assert_finite(figure)
    assert "ends lowest" in " ".join(m.value for m in at.markdown)


def test_the_race_waits_for_its_prediction():
    at = apptest.open_page("pages/warmup.py", predicted=False)
    assert len(apptest.figures(at)) == 0  # the first prediction gates everything after it
