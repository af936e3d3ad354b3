"""Colours: one per optimizer on every page, from the colour-blind-safe Okabe-Ito set."""

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}

RACER_COLOURS = {
    "sgd": OKABE_ITO["orange"],
    "momentum": OKABE_ITO["vermillion"],
    "adam": OKABE_ITO["blue"],
    "rmsprop": OKABE_ITO["bluish_green"],
    "adagrad": OKABE_ITO["reddish_purple"],
    "adamw": OKABE_ITO["sky_blue"],
    "amsgrad": OKABE_ITO["black"],
    # Adam's family: Okabe-Ito has no colour left, so dark hues apart from its seven
    # (Paul Tol's wine and green, an olive, a brown), none of them PARAMETER_COLOURS
    "radam": "#882255",
    "nadam": "#117733",
    "adamax": "#808000",
    "lion": "#8B5A00",
    "adafactor": "#DDAA33",
    "muon": "#5D3A9B",
}

#: the four frameworks' conventions of Adam (one page sets them side by side; Paul Tol's
#: bright set, apart from the optimizers' colours there)
FRAMEWORK_COLOURS = {"pytorch": "#4477AA", "keras": "#EE6677", "optax": "#228833",
                     "mlx": "#AA3377"}

#: light greys for loss landscapes, so every racer colour stands out on a projector
LANDSCAPE_SCALE = [[0.0, "#FFFFFF"], [0.5, "#D9D9D9"], [1.0, "#8C8C8C"]]
#: the three arrows drawn at Adam's position
ARROW_COLOURS = {"gradient": OKABE_ITO["vermillion"], "m_hat": OKABE_ITO["bluish_green"],
                 "step": OKABE_ITO["black"]}
#: lines for individual parameters (not optimizers): Paul Tol's colour-blind-safe set,
#: kept apart from the optimizer colours
PARAMETER_COLOURS = ["#332288", "#44AA99", "#AA4499"]
