"""Code to take away: the settings on screen as a runnable program in PyTorch, optax or
Keras, from one template per framework (``explainers/code_templates/<framework>.py.tmpl``).

A program either feeds a fixed sequence of gradients (the step-by-hand walkthrough) or
descends a landscape written as a formula (the hiker's race, without fog), and keeps
``trajectory``, the parameters after every step. Template lines that end in
``# [gradients]`` or ``# [landscape]`` belong to one kind of problem only.

``scripts/check_exported_code.py`` runs the programs of the cases in ``CASES`` in each
framework and compares their trajectories with the engine's (:func:`engine_trajectory`,
in that framework's convention); ``tests/test_code_export.py`` checks that the programs
of those cases are still the ones the script ran (``tests/fixtures/snippets/``).
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optim.conventions import FRAMEWORK_NAMES, FrameworkAdam, FrameworkAdamW
from optim.runner import run
from optim.surfaces import PRESETS, SURFACES

TEMPLATES = Path(__file__).parent / "code_templates"
FRAMEWORKS = ("pytorch", "optax", "keras")  # the frameworks a learner can take code for
_MARKER = re.compile(r"\s*# \[(gradients|landscape)\]$")


@dataclass(frozen=True)
class Setting:
    """Adam's settings on screen (``weight_decay`` > 0: AdamW's decoupled decay)."""
    lr: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.0


@dataclass(frozen=True)
class Problem:
    """What the program descends: ``gradients`` (one row per step) or a built-in
    landscape ``surface`` from ``start`` for ``steps`` steps."""
    where: str  # the page it comes from, named in the program's first line
    start: tuple[float, ...]
    steps: int
    gradients: tuple[tuple[float, ...], ...] | None = None
    surface: str | None = None

    @property
    def kind(self) -> str:
        return "gradients" if self.gradients is not None else "landscape"


def _number(value: float) -> str:
    """A number as Python source that reads back to the same float."""
    return repr(float(value))


def snippet(framework: str, problem: Problem, setting: Setting) -> str:
    """The program for ``framework`` (one of FRAMEWORKS)."""
    decoupled = setting.weight_decay > 0
    wd = _number(setting.weight_decay)
    values = {
        "title": "AdamW" if decoupled else "Adam", "where": problem.where,
        "lr": _number(setting.lr), "beta1": _number(setting.beta1),
        "beta2": _number(setting.beta2), "eps": _number(setting.eps),
        "steps": str(problem.steps), "start": repr([float(v) for v in problem.start]),
        "gradients": repr([[float(v) for v in row] for row in problem.gradients or ()]),
        "expression": PRESETS.get(problem.surface or "", ""),
        "torch_class": "AdamW" if decoupled else "Adam",
        "torch_extra": f", weight_decay={wd}" if decoupled else "",
        "optax_function": "adamw" if decoupled else "adam",
        "optax_extra": f", weight_decay={wd}" if decoupled else "",
        "keras_class": "AdamW" if decoupled else "Adam",
        "keras_extra": f", weight_decay={wd}" if decoupled else "",
    }
    text = string.Template((TEMPLATES / f"{framework}.py.tmpl").read_text()).substitute(values)
    lines = []
    for line in text.splitlines():
        marker = _MARKER.search(line)
        if marker is None:
            lines.append(line)
        elif marker.group(1) == problem.kind:
            lines.append(line[:marker.start()])
    return re.sub(r"\n{3,}(?=\S)", "\n\n\n", "\n".join(lines)).strip() + "\n"


def optimizer_for(framework: str, setting: Setting) -> FrameworkAdam:
    """The engine's Adam (or AdamW) in ``framework``'s convention, with ``setting``."""
    if setting.weight_decay > 0:
        return FrameworkAdamW(framework, setting.lr, setting.beta1, setting.beta2,
                              setting.eps, weight_decay=setting.weight_decay)
    return FrameworkAdam(framework, setting.lr, setting.beta1, setting.beta2, setting.eps)


def engine_trajectory(framework: str, problem: Problem, setting: Setting) -> np.ndarray:
    """What the program for ``framework`` should compute: the parameters after every step,
    from the engine in that framework's convention."""
    optimizer = optimizer_for(framework, setting)
    start = np.array(problem.start, dtype=float)
    if problem.gradients is None:
        return run(SURFACES[problem.surface], optimizer, start, problem.steps).positions
    params, state, out = start, optimizer.init(start), [start]
    for g in problem.gradients[:problem.steps]:
        params, state = optimizer.update(params, np.array(g, dtype=float), state)
        out.append(params)
    return np.stack(out)


def framework_name(framework: str) -> str:
    return FRAMEWORK_NAMES[framework]


#: the cases the committed script runs in each framework (tests keep their programs fixed)
CASES = {
    "walkthrough": (Problem("One step by hand", (0.0, 0.0, 0.0), 3,
                            gradients=((0.1, -0.5, 0.3), (0.2, -0.4, 0.0), (-0.1, 0.3, 1e-4))),
                    Setting()),
    "rosenbrock_race": (Problem("The foggy hiker", (-1.2, 1.0), 300, surface="rosenbrock"),
                        Setting(lr=0.02)),
    "plateau_adamw": (Problem("The foggy hiker", (2.8, 2.1), 200, surface="plateau"),
                      Setting(lr=0.05, beta2=0.99, eps=1e-6, weight_decay=0.1)),
}
