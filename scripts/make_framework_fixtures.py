"""Write tests/fixtures/framework_reference.npz: what optax's and Keras's Adam compute.

Needs jax, optax and Keras 3 on the CPU; the tests that read the file need none of them::

    pip install jax==0.10.2 optax==0.2.8 keras==3.15.1
    KERAS_BACKEND=jax JAX_PLATFORMS=cpu python scripts/make_framework_fixtures.py

(the script sets both variables itself if they are unset).  Everything runs in float64:
jax with ``jax_enable_x64``, Keras with ``keras.config.set_floatx("float64")``, so its
variables, its learning rate and its casts of beta and epsilon are float64 too.

Each case names the convention in our engine (the keyword arguments of
``optim.conventions.FrameworkAdam``, or ``FrameworkAdamW`` when ``"adamw"`` is true)
and the framework's own optimizer that should compute the same numbers; this script
feeds that optimizer a fixed sequence of 200 float64 gradients of shape (4, 3) and
records the parameters after every step.  The gradients' columns have very different
scales (about 1e-4, 1e-2 and 10), so epsilon matters in the first column and not in
the last, and they hold exact zeros: one coordinate never gets a gradient, one gets
none for its first ten steps, and about 5% of the entries are zero at random.
A case marked ``"schedule"`` gives the framework a warmup-cosine learning-rate
schedule and records the rate each step used (``lr_<case>``), which the tests pass to
``update_inplace(lr=...)``.

    python scripts/make_framework_fixtures.py
"""
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after enabling float64)
import keras  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from make_optax_fixtures import apply_optax  # noqa: E402  (beside this script)

keras.config.set_floatx("float64")

OUT = (pathlib.Path(__file__).resolve().parents[1] / "tests" / "fixtures"
       / "framework_reference.npz")
STEPS = 200
PEAK_LR, WARMUP, END_LR = 2e-2, 20, 1e-4

# case: (our FrameworkAdam's keyword arguments, the framework's optimizer and its arguments)
CASES = {
    # optax.adam: eps outside the root, eps_root inside it (default 0)
    "optax_adam": ({"framework": "optax", "lr": 1e-2}, ("adam", {"learning_rate": 1e-2})),
    "optax_adam_eps_root": ({"framework": "optax", "lr": 1e-2, "eps_root": 1e-8},
                            ("adam", {"learning_rate": 1e-2, "eps_root": 1e-8})),
    "optax_adam_tuned": ({"framework": "optax", "lr": 3e-3, "beta1": 0.8, "beta2": 0.99,
                          "eps": 1e-6, "eps_root": 1e-12},
                         ("adam", {"learning_rate": 3e-3, "b1": 0.8, "b2": 0.99, "eps": 1e-6,
                                   "eps_root": 1e-12})),
    # an L2 term in optax: chain(add_decayed_weights(wd), adam(...))
    "optax_adam_l2": ({"framework": "optax", "lr": 1e-2, "weight_decay": 0.1},
                      ("adam_l2", {"learning_rate": 1e-2, "weight_decay": 0.1})),
    "optax_adamw": ({"framework": "optax", "lr": 1e-2, "weight_decay": 0.1, "adamw": True},
                    ("adamw", {"learning_rate": 1e-2, "weight_decay": 0.1})),
    # optax.adamw's own default decay, 1e-4
    "optax_adamw_default": ({"framework": "optax", "lr": 1e-2, "adamw": True},
                            ("adamw", {"learning_rate": 1e-2})),
    "optax_adamw_schedule": ({"framework": "optax", "lr": PEAK_LR, "weight_decay": 0.5,
                              "eps_root": 1e-10, "adamw": True, "schedule": True},
                             ("adamw", {"learning_rate": "warmup_cosine", "weight_decay": 0.5,
                                        "eps_root": 1e-10})),
    # keras.optimizers.Adam: its default epsilon (1e-7), added to sqrt(v) uncorrected
    "keras_adam": ({"framework": "keras", "lr": 1e-2}, ("Adam", {"learning_rate": 1e-2})),
    "keras_adam_eps_1e-8": ({"framework": "keras", "lr": 1e-2, "eps": 1e-8},
                            ("Adam", {"learning_rate": 1e-2, "epsilon": 1e-8})),
    "keras_adam_tuned": ({"framework": "keras", "lr": 3e-3, "beta1": 0.8, "beta2": 0.99,
                          "eps": 1e-6},
                         ("Adam", {"learning_rate": 3e-3, "beta_1": 0.8, "beta_2": 0.99,
                                   "epsilon": 1e-6})),
    "keras_amsgrad": ({"framework": "keras", "lr": 1e-2, "amsgrad": True},
                      ("Adam", {"learning_rate": 1e-2, "amsgrad": True})),
    # Keras's Adam takes a weight_decay too, and decays decoupled, as its AdamW does
    "keras_adam_weight_decay": ({"framework": "keras", "lr": 1e-2, "weight_decay": 0.1,
                                 "adamw": True},
                                ("Adam", {"learning_rate": 1e-2, "weight_decay": 0.1})),
    "keras_adamw": ({"framework": "keras", "lr": 1e-2, "weight_decay": 0.1, "adamw": True},
                    ("AdamW", {"learning_rate": 1e-2, "weight_decay": 0.1})),
    # keras.optimizers.AdamW's own default decay, 0.004
    "keras_adamw_default": ({"framework": "keras", "lr": 1e-2, "adamw": True},
                            ("AdamW", {"learning_rate": 1e-2})),
    "keras_adamw_schedule": ({"framework": "keras", "lr": PEAK_LR, "weight_decay": 0.5,
                              "adamw": True, "schedule": True},
                             ("AdamW", {"learning_rate": "warmup_cosine",
                                        "weight_decay": 0.5})),
}


def gradients(rng):
    """200 gradients of shape (4, 3): columns of scale ~1e-4, ~1e-2 and ~10, with zeros."""
    grads = (rng.normal(size=(STEPS, 4, 3)) * [1e-4, 1e-2, 10.0]
             + [5e-5, -2e-3, 0.0])
    grads[:, 0, 1] = 0.0         # never a gradient
    grads[:10, 3, 0] = 0.0       # no gradient for the first ten steps
    grads[rng.random(grads.shape) < 0.05] = 0.0
    return grads


def optax_schedule():
    return optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=PEAK_LR,
                                              warmup_steps=WARMUP, decay_steps=STEPS,
                                              end_value=END_LR)


def optax_optimizer(name, kwargs):
    kw = dict(kwargs)
    if kw["learning_rate"] == "warmup_cosine":
        kw["learning_rate"] = optax_schedule()
    if name == "adam_l2":
        return optax.chain(optax.add_decayed_weights(kw.pop("weight_decay")), optax.adam(**kw))
    return getattr(optax, name)(**kw)


def optax_trajectory(start, grads, name, kwargs):
    """optax's parameters after every step, and the learning rate of every step."""
    # the rate of step t + 1: optax calls the schedule with its int32 count before the increment
    rates = np.array([float(optax_schedule()(jnp.asarray(t, dtype=jnp.int32)))
                      for t in range(STEPS)])
    return apply_optax(optax_optimizer(name, kwargs), start, grads), rates


def keras_trajectory(start, grads, name, kwargs):
    """Keras's parameters after every step, and the learning rate of every step
    (``optimizer.learning_rate`` just before the step: what its update and decay use)."""
    kw = dict(kwargs)
    if kw["learning_rate"] == "warmup_cosine":
        kw["learning_rate"] = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=0.0, decay_steps=STEPS - WARMUP, alpha=END_LR / PEAK_LR,
            warmup_target=PEAK_LR, warmup_steps=WARMUP)
    opt = getattr(keras.optimizers, name)(**kw)
    var = keras.Variable(np.array(start, dtype=np.float64), dtype="float64")
    out, rates = [np.array(var.value)], []
    for g in grads:
        rates.append(float(np.asarray(opt.learning_rate, dtype=np.float64)))
        opt.apply_gradients([(np.asarray(g, dtype=np.float64), var)])
        out.append(np.array(var.value))
    assert out[-1].dtype == np.float64
    return np.stack(out), np.array(rates)


def main():
    rng = np.random.default_rng(2015)
    start = rng.normal(size=(4, 3))
    grads = gradients(rng)
    arrays = {"start": start, "grads": grads}
    for key, (ours, (name, kwargs)) in CASES.items():
        make = optax_trajectory if ours["framework"] == "optax" else keras_trajectory
        traj, rates = make(start, grads, name, kwargs)
        arrays[f"traj_{key}"] = traj
        if ours.get("schedule"):
            arrays[f"lr_{key}"] = rates
    arrays["cases"] = np.array(json.dumps(CASES))
    arrays["jax_version"] = np.array(jax.__version__)
    arrays["optax_version"] = np.array(optax.__version__)
    arrays["keras_version"] = np.array(keras.__version__)
    arrays["keras_backend"] = np.array(keras.backend.backend())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB) with jax {jax.__version__}, "
          f"optax {optax.__version__}, keras {keras.__version__} "
          f"({keras.backend.backend()} backend)")


if __name__ == "__main__":
    main()
