"""Write tests/fixtures/torch_precision.npz: torch's Adam in float32, bfloat16 and float16.

Needs torch (``pip install torch==2.13.0``, CPU) and ml_dtypes; the tests that read
the file need neither.  Each case runs ``torch.optim.Adam(foreach=False)`` on a CPU
on a fixed gradient sequence and records, after every step, the weights (as float32
numbers), m and v, and the float32 master weights when the case keeps them:

* ``mixed``: three coordinates, started at (1, -0.5, 2): the first gets exact zeros,
  the second small gradients (about 1e-4), the third ordinary ones (about 1).
* ``steady``: weights from 0.1 to 3 with gradients about 1 of one sign, so Adam's
  step stays near lr = 1e-3: bfloat16 loses it on the weights above 0.5.

Without master weights the parameter is a tensor of the case's dtype and so are its
gradients (the float64 gradient times the loss scale, converted by torch).  With
master weights the parameter is float32 (``theta0`` converted), its gradient the
low-precision gradient converted back to float32, and the weights are the parameter
converted to the case's dtype after each step.  Every case runs on a CPU in torch
2.13 (Half and BFloat16 have the lerp_, mul_, addcmul_, sqrt, div, add_ and addcdiv_
that Adam's single-tensor step uses), so none is skipped.

Before writing, the script checks :func:`optim.precision.round_to` to bfloat16
against ``ml_dtypes.bfloat16`` on all 2^32 float32 bit patterns (NaNs: both NaN).

    python scripts/make_precision_fixtures.py
"""
import json
import pathlib
import sys

import ml_dtypes
import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from optim.precision import round_to  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "torch_precision.npz"
STEPS = 100
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}

# case: (gradients, dtype, master weights, eps, loss scale)
CASES = {
    "float32": ("mixed", "float32", False, 1e-8, 1.0),
    "float32_eps": ("mixed", "float32", False, 1e-4, 1.0),
    "float16": ("mixed", "float16", False, 1e-8, 1.0),
    "float16_eps": ("mixed", "float16", False, 1e-4, 1.0),
    "float16_eps_1e-6": ("mixed", "float16", False, 1e-6, 1.0),
    "float16_scaled": ("mixed", "float16", False, 1e-8, 256.0),
    "float16_eps_scaled": ("mixed", "float16", False, 1e-4, 256.0),
    "float16_master": ("mixed", "float16", True, 1e-8, 1.0),
    "float16_master_eps": ("mixed", "float16", True, 1e-4, 1.0),
    "bfloat16": ("mixed", "bfloat16", False, 1e-8, 1.0),
    "bfloat16_eps": ("mixed", "bfloat16", False, 1e-4, 1.0),
    "bfloat16_master": ("mixed", "bfloat16", True, 1e-8, 1.0),
    "bfloat16_master_eps": ("mixed", "bfloat16", True, 1e-4, 1.0),
    "steady_bfloat16": ("steady", "bfloat16", False, 1e-8, 1.0),
    "steady_bfloat16_master": ("steady", "bfloat16", True, 1e-8, 1.0),
    "steady_float16": ("steady", "float16", False, 1e-8, 1.0),
    "steady_float32": ("steady", "float32", False, 1e-8, 1.0),
}


def sequences(rng):
    """The start and STEPS gradients of each gradient sequence."""
    mixed = np.stack([np.zeros(STEPS), 1e-4 * (1 + 0.5 * rng.normal(size=STEPS)),
                      0.3 + rng.normal(size=STEPS)], axis=1)
    steady_start = np.array([0.1, 0.3, 0.6, 1.0, 1.5, 3.0])
    steady = 1 + 0.3 * rng.normal(size=(STEPS, len(steady_start)))
    return {"mixed": (np.array([1.0, -0.5, 2.0]), mixed), "steady": (steady_start, steady)}


def as_float32(tensor):
    return tensor.detach().float().numpy().copy()


def torch_adam(theta0, grads, dtype, master, eps, loss_scale):
    """The weights (steps + 1 rows), m, v (a row per step) and masters (or None)."""
    low = DTYPES[dtype]
    start = torch.tensor(theta0, dtype=torch.float64)
    p = (start.float() if master else start.to(low)).requires_grad_()
    opt = torch.optim.Adam([p], lr=1e-3, eps=eps, foreach=False)
    weights, masters, m, v = [as_float32(p.to(low))], [as_float32(p)], [], []
    for g in grads:
        p.grad = torch.tensor(loss_scale * g, dtype=torch.float64).to(low).to(p.dtype)
        opt.step()
        weights.append(as_float32(p.to(low)))
        masters.append(as_float32(p))
        m.append(as_float32(opt.state[p]["exp_avg"]))
        v.append(as_float32(opt.state[p]["exp_avg_sq"]))
    return np.array(weights), np.array(m), np.array(v), np.array(masters) if master else None


def check_bfloat16_rounding():
    """round_to(x, "bfloat16") equals ml_dtypes' conversion on every float32."""
    chunk = 1 << 24
    for first in range(0, 1 << 32, chunk):
        x = np.arange(first, first + chunk, dtype=np.uint64).astype(np.uint32).view(np.float32)
        ours = round_to(x, "bfloat16")
        with np.errstate(invalid="ignore"):
            theirs = x.astype(ml_dtypes.bfloat16).astype(np.float32)
        same = np.where(np.isnan(x), np.isnan(ours) & np.isnan(theirs),
                        ours.view(np.uint32) == theirs.view(np.uint32))
        assert same.all(), f"bfloat16 rounding differs from ml_dtypes at {x[~same][:5]}"
    print("round_to(x, 'bfloat16') equals ml_dtypes.bfloat16 on all 2^32 float32 patterns")


def main():
    check_bfloat16_rounding()
    seqs = sequences(np.random.default_rng(2018))
    arrays = {}
    for name, (theta0, grads) in seqs.items():
        arrays[f"start_{name}"], arrays[f"grads_{name}"] = theta0, grads
    for case, (seq, dtype, master, eps, loss_scale) in CASES.items():
        weights, m, v, masters = torch_adam(*seqs[seq], dtype, master, eps, loss_scale)
        arrays.update({f"weights_{case}": weights, f"m_{case}": m, f"v_{case}": v})
        if masters is not None:
            arrays[f"masters_{case}"] = masters
    arrays["cases"] = np.array(json.dumps(CASES))
    arrays["torch_version"] = np.array(torch.__version__)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
