"""Write tests/fixtures/torch_reference.npz: what torch.optim computes, for the tests.

Needs torch (``pip install torch==2.13.0``, CPU); the tests that read the file do
not.  Each case names one of our optimizers with its hyperparameters (in our
names); this script builds the matching ``torch.optim`` optimizer, feeds it a
fixed sequence of 200 float64 gradients, and records the parameters after every
step.  A last case runs torch's Adam on Rosenbrock's valley with autograd, to
check the runner and the surface's gradient end to end.

Adam's family (``FAMILY_CASES``: AdaMax, NAdam, RAdam) runs on the same gradients;
Adafactor and Muon (``MATRIX_CASES``) on fixed sequences of 100 matrix gradients:
a batch of three 6 x 6 matrices (three parameters of one torch optimizer: ours
treats the leading axis as a batch of independent runs), a tall 6 x 4, a wide
4 x 6 and, for Adafactor, a vector.  A case marked scheduled sets this step's
learning rate, the base rate x ``lr_schedule[t - 1]`` (``matrix_lr_schedule``
for matrices), in ``group["lr"]`` as a scheduler does (ours passes it as
``lr=``).  These run with ``torch.set_default_dtype(torch.float64)``: torch keeps
its step count and NAdam's product of momentum factors as tensors of the default
dtype, and in float32 that product is rounded every step.

Muon is recorded twice: ``traj_<case>`` from torch's Muon step with the one
bfloat16 cast in its Newton-Schulz iteration removed (torch's own
``_zeropower_via_newtonschulz``, recompiled from its source with ``grad.bfloat16()``
replaced by ``grad.clone()``, so it runs in float64 like ours), and
``traj_<case>_stock`` from stock ``torch.optim.Muon``, bfloat16 iteration and all.

    python scripts/make_torch_fixtures.py
"""
import contextlib
import inspect
import json
import pathlib

import numpy as np
import torch
import torch.optim._muon

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "torch_reference.npz"
STEPS = 200

CASES = {
    "sgd": ("SGD", {"lr": 0.05}),
    "sgd_momentum": ("SGD", {"lr": 0.05, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "sgd_momentum_decay": ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
    "adagrad": ("Adagrad", {"lr": 0.1}),
    "adagrad_eps": ("Adagrad", {"lr": 0.3, "eps": 1e-3}),
    "rmsprop": ("RMSProp", {"lr": 0.01}),
    "rmsprop_beta2": ("RMSProp", {"lr": 0.02, "beta2": 0.9, "eps": 1e-6}),
    "adam": ("Adam", {}),
    "adam_tuned": ("Adam", {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}),
    "adam_no_momentum": ("Adam", {"lr": 0.01, "beta1": 0.0}),
    "adam_l2": ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    "amsgrad": ("Adam", {"lr": 0.01, "amsgrad": True}),
    "amsgrad_l2": ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05}),
    "adamw": ("AdamW", {}),
    "adamw_strong": ("AdamW", {"lr": 0.01, "weight_decay": 0.5}),
    "adamw_amsgrad": ("AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
}

# (our optimizer, its hyperparameters, scheduled?) on the same gradients as CASES
FAMILY_CASES = {
    "adamax": ("Adamax", {}, False),
    "adamax_tuned": ("Adamax", {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3}, False),
    "adamax_l2": ("Adamax", {"lr": 0.01, "weight_decay": 0.1}, False),
    "adamax_scheduled": ("Adamax", {"lr": 0.02, "weight_decay": 0.05}, True),
    "nadam": ("NAdam", {}, False),
    "nadam_tuned": ("NAdam", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6,
                              "momentum_decay": 0.01}, False),
    "nadam_no_schedule": ("NAdam", {"lr": 0.01, "momentum_decay": 0.0}, False),
    "nadam_l2": ("NAdam", {"lr": 0.01, "weight_decay": 0.1}, False),
    "nadamw": ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
               False),
    "nadamw_scheduled": ("NAdam", {"lr": 0.02, "weight_decay": 0.2,
                                   "decoupled_weight_decay": True}, True),
    "radam": ("RAdam", {}, False),
    "radam_tuned": ("RAdam", {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, False),
    "radam_short_memory": ("RAdam", {"lr": 0.01, "beta2": 0.9}, False),
    "radam_never_rectified": ("RAdam", {"lr": 0.01, "beta2": 0.6}, False),
    "radam_l2": ("RAdam", {"lr": 0.01, "weight_decay": 0.1}, False),
    "radamw": ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
               False),
    "radamw_scheduled": ("RAdam", {"lr": 0.02, "weight_decay": 0.2,
                                   "decoupled_weight_decay": True}, True),
}

MATRIX_SHAPES = {"batch": (3, 6, 6), "tall": (6, 4), "wide": (4, 6), "vector": (5,)}
MATRIX_STEPS = 100

# (our optimizer, its hyperparameters, shape, scheduled?)
MATRIX_CASES = {
    "adafactor_batch": ("Adafactor", {}, "batch", False),
    "adafactor_tall": ("Adafactor", {}, "tall", False),
    "adafactor_wide": ("Adafactor", {}, "wide", False),
    "adafactor_vector": ("Adafactor", {}, "vector", False),
    # lr 0.2: the relative step min(lr, 1/sqrt(t)) becomes 1/sqrt(t) after t = 25
    "adafactor_decay": ("Adafactor", {"lr": 0.2, "weight_decay": 0.1}, "batch", False),
    "adafactor_decay_vector": ("Adafactor", {"lr": 0.2, "weight_decay": 0.1}, "vector", False),
    "adafactor_tuned": ("Adafactor", {"lr": 0.05, "beta2_decay": -0.5, "eps1": 1e-6,
                                      "eps2": 1.0, "d": 2.0}, "tall", False),
    "adafactor_scheduled": ("Adafactor", {"lr": 0.05, "weight_decay": 0.1}, "wide", True),
    "muon_batch": ("Muon", {}, "batch", False),
    "muon_tall": ("Muon", {"lr": 0.02}, "tall", False),
    "muon_wide": ("Muon", {"lr": 0.02, "adjust_lr_fn": "original"}, "wide", False),
    "muon_no_nesterov": ("Muon", {"lr": 0.02, "nesterov": False}, "wide", False),
    "muon_match_rms_adamw": ("Muon", {"lr": 0.02, "adjust_lr_fn": "match_rms_adamw"},
                             "tall", False),
    "muon_cubic": ("Muon", {"lr": 0.05, "ns_coefficients": (1.5, -0.5, 0.0), "ns_steps": 10,
                            "momentum": 0.9, "weight_decay": 0.0, "eps": 1e-5}, "wide", False),
    "muon_scheduled": ("Muon", {"lr": 0.05, "weight_decay": 0.2}, "tall", True),
}


def torch_optimizer(name, kwargs, params):
    kw = dict(kwargs)
    if "beta1" in kw or "beta2" in kw:
        if name == "RMSProp":
            kw["alpha"] = kw.pop("beta2")
        else:
            kw["betas"] = (kw.pop("beta1", 0.9), kw.pop("beta2", 0.999))
    if name == "Adam" or name == "AdamW":
        kw.setdefault("lr", 1e-3)
    if name == "Adafactor":
        kw["eps"] = (kw.pop("eps1", None), kw.pop("eps2", 1e-3))
    if name in ("Adamax", "NAdam", "RAdam", "Adafactor"):
        kw["foreach"] = False                      # the single-tensor code ours follows
    cls = {"SGD": torch.optim.SGD, "Adagrad": torch.optim.Adagrad,
           "RMSProp": torch.optim.RMSprop, "Adam": torch.optim.Adam,
           "AdamW": torch.optim.AdamW, "Adamax": torch.optim.Adamax,
           "NAdam": torch.optim.NAdam, "RAdam": torch.optim.RAdam,
           "Adafactor": torch.optim.Adafactor, "Muon": torch.optim.Muon}[name]
    return cls(params if isinstance(params, list) else [params], **kw)


def fixed_gradients(start, grads, name, kwargs, schedule=None):
    """The parameters after every step.  ``schedule``: this step's lr is the first
    lr times ``schedule[t - 1]``, set in the group as a scheduler does."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch_optimizer(name, kwargs, p)
    base_lr = opt.param_groups[0]["lr"]
    out = [p.detach().clone().numpy()]
    for t, g in enumerate(grads, 1):
        if schedule is not None:
            opt.param_groups[0]["lr"] = base_lr * float(schedule[t - 1])
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(p.detach().clone().numpy())
    return np.stack(out)


def matrix_gradients(start, grads, name, kwargs, schedule=None):
    """:func:`fixed_gradients` for matrices: a batch ``(k, rows, cols)`` is k separate
    torch parameters (torch's Adafactor and Muon work on one matrix at a time)."""
    if start.ndim < 3:
        return fixed_gradients(start, grads, name, kwargs, schedule)
    runs = [fixed_gradients(start[i], grads[:, i], name, kwargs, schedule)
            for i in range(len(start))]
    return np.stack(runs, axis=1)


def float64_newton_schulz():
    """torch's ``_zeropower_via_newtonschulz`` with its bfloat16 cast removed: its own
    source, recompiled with ``grad.bfloat16()`` replaced by ``grad.clone()`` (a copy,
    as the cast was: the function divides it in place)."""
    source = inspect.getsource(torch.optim._muon._zeropower_via_newtonschulz)
    assert source.count("grad.bfloat16()") == 1, "torch's Newton-Schulz changed: look again"
    namespace = {}
    exec(source.replace("grad.bfloat16()", "grad.clone()"),  # torch's own code
         vars(torch.optim._muon).copy(), namespace)
    return namespace["_zeropower_via_newtonschulz"]


@contextlib.contextmanager
def muon_without_bfloat16():
    """Run torch.optim.Muon's step with :func:`float64_newton_schulz`."""
    stock = torch.optim._muon._zeropower_via_newtonschulz
    torch.optim._muon._zeropower_via_newtonschulz = float64_newton_schulz()
    try:
        yield
    finally:
        torch.optim._muon._zeropower_via_newtonschulz = stock


@contextlib.contextmanager
def float64_default():
    """torch's scalar state (step counts, NAdam's mu_product) in float64."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(before)


def lr_schedule(steps):
    """Factors of the base rate: a linear warm-up over 20 steps, then a cosine to 0.1
    at the last step."""
    t = np.arange(1, steps + 1)
    cosine = 0.1 + 0.45 * (1 + np.cos(np.pi * np.clip(t - 20, 0, None) / (steps - 20)))
    return np.where(t <= 20, t / 20, cosine)


def matrix_sequence(rng, shape):
    """A start and MATRIX_STEPS gradients of ``shape``: noise around a steady part, with rows
    and columns of different sizes (so factoring and orthogonalising have work)."""
    start = rng.normal(size=shape)
    rows = np.logspace(-1, 1, shape[-2])[:, None] if len(shape) > 1 else 1.0
    cols = np.logspace(0.5, -0.5, shape[-1])
    steady = rng.normal(size=shape) * 0.5
    grads = (rng.normal(size=(MATRIX_STEPS,) + shape) + steady) * rows * cols
    return start, grads


def family_and_matrix_arrays(start, grads):
    """The fixtures of FAMILY_CASES and MATRIX_CASES (new keys only)."""
    arrays = {}
    schedule, matrix_schedule = lr_schedule(STEPS), lr_schedule(MATRIX_STEPS)
    rng = np.random.default_rng(2018)
    with float64_default():
        for key, (name, kwargs, scheduled) in FAMILY_CASES.items():
            arrays[f"traj_{key}"] = fixed_gradients(start, grads, name, kwargs,
                                                    schedule if scheduled else None)
        for key, shape in MATRIX_SHAPES.items():
            arrays[f"matrix_start_{key}"], arrays[f"matrix_grads_{key}"] = (
                matrix_sequence(rng, shape))
        for key, (name, kwargs, shape, scheduled) in MATRIX_CASES.items():
            run = (arrays[f"matrix_start_{shape}"], arrays[f"matrix_grads_{shape}"], name,
                   kwargs, matrix_schedule if scheduled else None)
            if name == "Muon":
                arrays[f"traj_{key}_stock"] = matrix_gradients(*run)
                with muon_without_bfloat16():
                    arrays[f"traj_{key}"] = matrix_gradients(*run)
            else:
                arrays[f"traj_{key}"] = matrix_gradients(*run)
    arrays["lr_schedule"], arrays["matrix_lr_schedule"] = schedule, matrix_schedule
    arrays["family_cases"] = np.array(json.dumps(FAMILY_CASES))
    arrays["matrix_cases"] = np.array(json.dumps(MATRIX_CASES))
    return arrays


def rosenbrock_adam(start, lr):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr)
    out = [p.detach().clone().numpy()]
    for _ in range(STEPS):
        opt.zero_grad()
        x, y = p[..., 0], p[..., 1]
        ((1 - x) ** 2 + 100 * (y - x * x) ** 2).sum().backward()
        opt.step()
        out.append(p.detach().clone().numpy())
    return np.stack(out)


def start_and_gradients(seed):
    """A start of shape (4, 3) and STEPS gradients for it, drawn from ``seed``: each
    gradient a steady part and a noisy part, of different sizes per column."""
    rng = np.random.default_rng(seed)
    start = rng.normal(size=(4, 3))
    grads = rng.normal(size=(STEPS, 4, 3)) * [0.1, 1.0, 10.0] + [0.5, -0.2, 0.0]
    return start, grads


def save(out, arrays, cases):
    """Write ``arrays``, the cases (as JSON) and torch's version to ``out``."""
    arrays = {**arrays, "cases": np.array(json.dumps(cases)),
              "torch_version": np.array(torch.__version__)}
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB) with torch {torch.__version__}")


def main():
    start, grads = start_and_gradients(2015)
    arrays = {"start": start, "grads": grads}
    for key, (name, kwargs) in CASES.items():
        arrays[f"traj_{key}"] = fixed_gradients(start, grads, name, kwargs)
    rb_start = np.array([[-1.2, 1.0], [0.5, -0.5], [1.5, 2.0]])
    arrays["rosenbrock_start"] = rb_start
    arrays["traj_rosenbrock_adam"] = rosenbrock_adam(rb_start, 0.01)
    arrays.update(family_and_matrix_arrays(start, grads))
    save(OUT, arrays, CASES)


if __name__ == "__main__":
    main()
