"""Write tests/fixtures/torch_schedules.npz: torch.optim.lr_scheduler's rates, for the tests.

Needs torch (``pip install torch==2.13.0``, CPU); tests/test_schedules.py, which reads
the file, does not.  Each case names one of our schedules (optim/schedules.py) and one
of our optimizers, with their settings in our names; this script builds the matching
torch optimizer and scheduler, feeds the optimizer a fixed sequence of 200 float64
gradients, calls ``scheduler.step()`` after every ``optimizer.step()`` (as PyTorch
asks), and records the learning rate each step used and the parameters after it.

    python scripts/make_schedule_fixtures.py
"""
import math
import pathlib

import numpy as np
import torch
from make_torch_fixtures import STEPS, save, start_and_gradients, torch_optimizer
from torch.optim import lr_scheduler

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "torch_schedules.npz"

ADAM = ("Adam", {"lr": 0.02})
CASES = {
    "constant": ("Constant", {}, *ADAM),
    "warmup_1": ("LinearWarmup", {"warmup": 1}, *ADAM),
    "warmup_20": ("LinearWarmup", {"warmup": 20}, *ADAM),
    "warmup_longer_than_run": ("LinearWarmup", {"warmup": 500}, *ADAM),
    "cosine": ("WarmupCosine", {"total": 200}, *ADAM),
    "cosine_warmup_1": ("WarmupCosine", {"total": 200, "warmup": 1}, *ADAM),
    "warmup_cosine": ("WarmupCosine", {"total": 200, "warmup": 20}, *ADAM),
    "warmup_cosine_floor_short": ("WarmupCosine", {"total": 150, "warmup": 10,
                                                   "min_factor": 0.1}, *ADAM),
    "cosine_to_zero_short": ("WarmupCosine", {"total": 50}, *ADAM),
    "cosine_warmup_longer_than_run": ("WarmupCosine", {"total": 400, "warmup": 300}, *ADAM),
    "inverse_sqrt": ("InverseSqrt", {}, *ADAM),
    "inverse_sqrt_adamw": ("InverseSqrt", {}, "AdamW", {"lr": 0.02, "weight_decay": 0.1}),
    "step": ("StepDecay", {"step_size": 50}, *ADAM),
    "step_half_sgd_momentum": ("StepDecay", {"step_size": 30, "gamma": 0.5},
                               "SGD", {"lr": 0.05, "momentum": 0.9}),
}


def torch_scheduler(name, kwargs, opt):
    """The torch scheduler each schedule's docstring names."""
    if name == "Constant":
        return lr_scheduler.LambdaLR(opt, lambda epoch: 1.0)
    if name == "InverseSqrt":
        return lr_scheduler.LambdaLR(opt, lambda epoch: 1 / math.sqrt(epoch + 1))
    if name == "StepDecay":
        return lr_scheduler.StepLR(opt, **kwargs)
    base_lr = opt.param_groups[0]["lr"]  # before a scheduler changes it
    w = max(kwargs.get("warmup", 0), 1)
    warmup = lr_scheduler.LinearLR(opt, start_factor=1 / w, total_iters=w - 1)
    if name == "LinearWarmup":
        return warmup
    total, low = kwargs["total"], kwargs.get("min_factor", 0.0)
    cosine = lr_scheduler.CosineAnnealingLR(opt, T_max=total - w,
                                            eta_min=low * base_lr)
    hold = lr_scheduler.ConstantLR(opt, factor=low, total_iters=STEPS)  # past the run's end
    return lr_scheduler.SequentialLR(opt, [warmup, cosine, hold], milestones=[w - 1, total])


def scheduled_run(start, grads, case):
    """The learning rate of every step, and the parameters after every step (row 0: start)."""
    schedule, schedule_kwargs, name, kwargs = case
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch_optimizer(name, kwargs, p)
    scheduler = torch_scheduler(schedule, schedule_kwargs, opt)
    lrs, out = [], [p.detach().clone().numpy()]
    for g in grads:
        lrs.append(opt.param_groups[0]["lr"])
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        scheduler.step()
        out.append(p.detach().clone().numpy())
    return np.array(lrs), np.stack(out)


def main():
    start, grads = start_and_gradients(2021)
    arrays = {"start": start, "grads": grads}
    for key, case in CASES.items():
        arrays[f"lrs_{key}"], arrays[f"traj_{key}"] = scheduled_run(start, grads, case)
    save(OUT, arrays, CASES)


if __name__ == "__main__":
    main()
