"""Code to take away: the programs of the checked cases are the ones the script ran in their
frameworks (scripts/check_exported_code.py), and every program is well formed."""
import ast
import pathlib

import numpy as np
import pytest

from explainers import code_export as ce
from optim import Adam
from optim.surfaces import PRESETS

SNIPPETS = pathlib.Path(__file__).parent / "fixtures" / "snippets"


@pytest.mark.parametrize("case", sorted(ce.CASES))
@pytest.mark.parametrize("framework", ce.FRAMEWORKS)
def test_the_checked_programs_have_not_changed(case, framework):
    problem, setting = ce.CASES[case]
    assert ce.snippet(framework, problem, setting) == (
        SNIPPETS / f"{case}.{framework}.py").read_text(), (
        "a template changed: run python scripts/check_exported_code.py --write")


@pytest.mark.parametrize("surface", sorted(PRESETS))
@pytest.mark.parametrize("framework", ce.FRAMEWORKS)
def test_every_landscape_gives_a_program_with_the_settings(surface, framework):
    problem = ce.Problem("The foggy hiker", (0.5, -0.25), 123, surface=surface)
    setting = ce.Setting(lr=0.03, beta1=0.85, beta2=0.995, eps=1e-7, weight_decay=0.02)
    text = ce.snippet(framework, problem, setting)
    ast.parse(text)
    for number in ("0.03", "0.85", "0.995", "1e-07", "0.02", "123", "[0.5, -0.25]",
                   PRESETS[surface]):
        assert number in text
    assert "# [" not in text and "GRADIENTS" not in text and "AdamW" in text


def test_a_gradient_sequence_gives_no_landscape():
    problem, setting = ce.CASES["walkthrough"]
    text = ce.snippet("pytorch", problem, setting)
    assert "def f" not in text and "import math" not in text
    assert "GRADIENTS = [[0.1, -0.5, 0.3]" in text


def test_the_engines_pytorch_trajectory_is_optim_adam():
    problem, setting = ce.CASES["walkthrough"]
    ours = ce.engine_trajectory("pytorch", problem, setting)
    adam = Adam(setting.lr, setting.beta1, setting.beta2, setting.eps)
    params, state = np.zeros(3), adam.init(np.zeros(3))
    for row, g in zip(ours[1:], problem.gradients):
        params, state = adam.update(params, np.array(g), state)
        np.testing.assert_array_equal(row, params)
    np.testing.assert_allclose(ours[1], [-0.001, 0.001, -0.001], rtol=1e-6)
