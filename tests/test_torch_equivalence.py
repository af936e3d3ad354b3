"""Every optimizer gives torch.optim's numbers (fixtures from scripts/make_torch_fixtures.py)."""
import json
import pathlib

import numpy as np
import pytest

import optim
from optim.runner import run
from optim.surfaces import SURFACES

FIXTURES = np.load(pathlib.Path(__file__).parent / "fixtures" / "torch_reference.npz")
CASES = json.loads(str(FIXTURES["cases"]))


def relative_error(ours, theirs):
    """max |ours - theirs| / max |theirs|, per step, worst step."""
    scale = np.max(np.abs(theirs).reshape(len(theirs), -1), axis=1)
    return np.max(np.max(np.abs(ours - theirs).reshape(len(theirs), -1), axis=1) / scale)


def test_fixtures_come_from_the_pinned_torch():
    assert str(FIXTURES["torch_version"]).startswith("2.13.0")


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_torch_over_200_steps(case):
    name, kwargs = CASES[case]
    opt = getattr(optim, name)(**kwargs)
    params = FIXTURES["start"]
    state = opt.init(params)
    ours = [params]
    for g in FIXTURES["grads"]:
        params, state = opt.update(params, g, state)
        ours.append(params)
    theirs = FIXTURES[f"traj_{case}"]
    assert len(ours) == 201
    assert relative_error(np.stack(ours), theirs) <= 1e-12


def test_runner_on_rosenbrock_matches_torch_autograd():
    surface = SURFACES["rosenbrock"]
    result = run(surface, optim.Adam(lr=0.01), FIXTURES["rosenbrock_start"], 200)
    theirs = FIXTURES["traj_rosenbrock_adam"]
    assert relative_error(result.positions, theirs) <= 1e-12
