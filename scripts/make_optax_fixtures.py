"""Write tests/fixtures/optax_reference.npz: what ``optax.lion`` computes, for the tests.

Needs jax and optax on the CPU (``pip install jax==0.10.2 optax==0.2.8``); the
tests that read the file do not.  jax runs in float64 (``jax_enable_x64``).

Each case gives our ``Lion``'s hyperparameters (in our names) and the arguments
of the ``optax.lion`` that should compute the same numbers; this script feeds
that optax optimizer a fixed sequence of 200 float64 gradients and records the
parameters after every step.  The gradients have columns of different scale
(as in make_torch_fixtures.py) and exact zeros: one coordinate never gets a
gradient, one gets none for its first steps, and a few entries are zero at
random.  The "schedule" case gives optax a learning-rate schedule and records
the rate of every step, which the tests pass to ``update_inplace(lr=...)``.

    python scripts/make_optax_fixtures.py
"""
import json
import pathlib

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after enabling float64)
import numpy as np  # noqa: E402
import optax  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "optax_reference.npz"
STEPS = 200

# case: (our Lion's hyperparameters, optax.lion's arguments)
CASES = {
    # our defaults; optax decays by 1e-3 unless told otherwise
    "defaults": ({}, {"learning_rate": 1e-4, "weight_decay": 0.0}),
    # optax's defaults: its weight decay, passed to ours
    "optax_defaults": ({"weight_decay": 1e-3}, {"learning_rate": 1e-4}),
    "constant_lr": ({"lr": 3e-3}, {"learning_rate": 3e-3, "weight_decay": 0.0}),
    "tuned_betas": ({"lr": 1e-3, "beta1": 0.95, "beta2": 0.98},
                    {"learning_rate": 1e-3, "b1": 0.95, "b2": 0.98, "weight_decay": 0.0}),
    "sign_descent": ({"lr": 1e-3, "beta1": 0.0, "beta2": 0.0},
                     {"learning_rate": 1e-3, "b1": 0.0, "b2": 0.0, "weight_decay": 0.0}),
    "weight_decay": ({"lr": 1e-2, "weight_decay": 0.5},
                     {"learning_rate": 1e-2, "weight_decay": 0.5}),
    "schedule": ({"lr": 3e-3, "weight_decay": 0.1},
                 {"learning_rate": "warmup_cosine", "weight_decay": 0.1}),
}


def schedule():
    return optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3e-3, warmup_steps=20,
                                              decay_steps=STEPS, end_value=1e-5)


def gradients(rng):
    # a steady part and a noisy part, of different sizes per column
    grads = rng.normal(size=(STEPS, 4, 3)) * [0.1, 1.0, 10.0] + [0.5, -0.2, 0.0]
    grads[:, 0, 1] = 0.0         # never a gradient: the coordinate stays put (decay apart)
    grads[:10, 3, 2] = 0.0       # no gradient for the first ten steps
    grads[rng.random(grads.shape) < 0.05] = 0.0
    return grads


def apply_optax(opt, start, grads):
    """The parameters after every step of the optax optimizer ``opt``, in float64."""
    p = jnp.asarray(start, dtype=jnp.float64)
    state = opt.init(p)
    out = [np.asarray(p)]
    for g in grads:
        updates, state = opt.update(jnp.asarray(g, dtype=jnp.float64), state, p)
        p = optax.apply_updates(p, updates)
        out.append(np.asarray(p))
    return np.stack(out)


def optax_trajectory(start, grads, kwargs):
    kw = dict(kwargs)
    if kw["learning_rate"] == "warmup_cosine":
        kw["learning_rate"] = schedule()
    return apply_optax(optax.lion(**kw), start, grads)


def main():
    rng = np.random.default_rng(2023)
    start = rng.normal(size=(4, 3))
    grads = gradients(rng)
    arrays = {"start": start, "grads": grads}
    for key, (_, kwargs) in CASES.items():
        arrays[f"traj_{key}"] = optax_trajectory(start, grads, kwargs)
    # the rate optax's update used at step t + 1 (it calls the schedule with its int32 count)
    arrays["schedule_lr"] = np.array([float(schedule()(jnp.asarray(t, dtype=jnp.int32)))
                                      for t in range(STEPS)])
    arrays["cases"] = np.array(json.dumps(CASES))
    arrays["jax_version"] = np.array(jax.__version__)
    arrays["optax_version"] = np.array(optax.__version__)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB) "
          f"with jax {jax.__version__}, optax {optax.__version__}")


if __name__ == "__main__":
    main()
