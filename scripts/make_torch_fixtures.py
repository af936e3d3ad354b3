"""Write tests/fixtures/torch_reference.npz: what torch.optim computes, for the tests.

Needs torch (``pip install torch==2.13.0``, CPU); the tests that read the file do
not.  Each case names one of our optimizers with its hyperparameters (in our
names); this script builds the matching ``torch.optim`` optimizer, feeds it a
fixed sequence of 200 float64 gradients, and records the parameters after every
step.  A last case runs torch's Adam on Rosenbrock's valley with autograd, to
check the runner and the surface's gradient end to end.

    python scripts/make_torch_fixtures.py
"""
import json
import pathlib

import numpy as np
import torch

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


def torch_optimizer(name, kwargs, params):
    kw = dict(kwargs)
    if "beta1" in kw or "beta2" in kw:
        if name == "RMSProp":
            kw["alpha"] = kw.pop("beta2")
        else:
            kw["betas"] = (kw.pop("beta1", 0.9), kw.pop("beta2", 0.999))
    if name == "Adam" or name == "AdamW":
        kw.setdefault("lr", 1e-3)
    cls = {"SGD": torch.optim.SGD, "Adagrad": torch.optim.Adagrad,
           "RMSProp": torch.optim.RMSprop, "Adam": torch.optim.Adam,
           "AdamW": torch.optim.AdamW}[name]
    return cls([params], **kw)


def fixed_gradients(start, grads, name, kwargs):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch_optimizer(name, kwargs, p)
    out = [p.detach().clone().numpy()]
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(p.detach().clone().numpy())
    return np.stack(out)


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
    save(OUT, arrays, CASES)


if __name__ == "__main__":
    main()
