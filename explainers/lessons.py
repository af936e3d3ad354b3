"""The lesson path: eight lessons, in the order of the story.

``page`` is the page file (relative to app.py) of a lesson that is built, or
``None`` for one that is still to come.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    number: int
    title: str
    summary: str
    page: str | None = None
    url_path: str | None = None

    @property
    def built(self) -> bool:
        return self.page is not None


LESSONS: tuple[Lesson, ...] = (
    Lesson(1, "The problem with one learning rate",
           "Frequent and rare parameters, steep and flat directions: why one step size "
           "cannot fit them all.", "pages/one_rate.py", "one-learning-rate"),
    Lesson(2, "The foggy hiker",
           "SGD and Adam race down the same landscape, in clear weather and in fog.",
           "pages/hiker.py", "foggy-hiker"),
    Lesson(3, "One step by hand",
           "The first update, number by number, then the second and the third.",
           "pages/one_step.py", "one-step-by-hand"),
    Lesson(4, "Bias correction",
           "Switch it off and see what really happens to the first steps.",
           "pages/bias_correction.py", "bias-correction"),
    Lesson(5, "What the paper reports, reproduced small",
           "Logistic regression on real digits and on sparse bag-of-words features.",
           "pages/paper.py", "paper-reproduced"),
    Lesson(6, "How much tuning Adam needs",
           "How wide is the good region of alpha, beta1 and beta2, next to SGD's?",
           "pages/tuning.py", "tuning"),
    Lesson(7, "What breaks",
           "Non-convergence and AMSGrad, epsilon, memory, generalization.",
           "pages/breaks.py", "what-breaks"),
    Lesson(8, "Where it leads",
           "AdamW and weight decay, grokking, and LoRA.",
           "pages/leads.py", "where-it-leads"),
)
