"""Lesson 1's controls."""
from .one_rate import SCALES, SGD_BOWL_ALPHAS
from .rare_words import ADAM_ALPHAS, SGD_ALPHAS
from .url_state import Choice

WORDS_SGD = Choice("words_sgd", "SGD's step size α", 1.0, options=SGD_ALPHAS)
WORDS_ADAM = Choice("words_adam", "Adam's step size α", 0.01, options=ADAM_ALPHAS)
BOWL_SGD = Choice("bowl_sgd", "SGD's step size α on the bowl", 0.05, options=SGD_BOWL_ALPHAS)
SCALE = Choice("c", "Multiply the loss by c", 1000.0, options=SCALES)
SCALE_EPS = Choice("scale_eps", "Adam's ε", 1e-8, options=(1e-12, 1e-8))
SPECS = (WORDS_SGD, WORDS_ADAM, BOWL_SGD, SCALE, SCALE_EPS)
