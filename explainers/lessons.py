"""The lesson path: twelve lessons, in the order of the story, and the two pages around it.

A lesson is a unit named by its URL path, say ``foggy-hiker``: the page
``pages/foggy-hiker.py``, its explainer ``explainers/foggy_hiker.py`` (controls,
figures, tables, numbers for its sentences) and its text
``explainers/text/foggy_hiker.md``. A lesson whose page file does not exist yet is
listed as "coming soon". CONTRIBUTING.md says how to add one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Lesson:
    number: int | None  # None: a page outside the lesson path
    title: str
    summary: str
    url_path: str  # "" for the home page

    @property
    def page(self) -> str:
        """The page file, relative to app.py."""
        return f"pages/{self.url_path or 'home'}.py"

    @property
    def module(self) -> str:
        """The name of its explainer module and of its text file."""
        return (self.url_path or "home").replace("-", "_")

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def built(self) -> bool:
        return (ROOT / self.page).exists()


HOME = Lesson(None, "Adam, step by step", "The story and the lesson path.", "")
LESSONS: tuple[Lesson, ...] = (
    Lesson(1, "The problem with one learning rate",
           "Frequent and rare parameters, steep and flat directions: why one learning rate "
           "cannot fit them all.", "one-learning-rate"),
    Lesson(2, "The foggy hiker",
           "SGD and Adam race down the same landscape, in clear weather and in fog.",
           "foggy-hiker"),
    Lesson(3, "One step by hand",
           "The first update, number by number, then the second and the third.",
           "one-step-by-hand"),
    Lesson(4, "Bias correction",
           "Switch it off and see what really happens to the first steps.", "bias-correction"),
    Lesson(5, "Warmup and schedules",
           "Why Adam's first steps are its riskiest, and what warmup, decay and RAdam do "
           "about them.", "warmup"),
    Lesson(6, "What the paper reports, reproduced small",
           "Logistic regression on real digits and on sparse bag-of-words features.",
           "paper-reproduced"),
    Lesson(7, "How much tuning Adam needs",
           "How wide is the good region of alpha, beta1 and beta2, next to SGD's?", "tuning"),
    Lesson(8, "What breaks",
           "Non-convergence and AMSGrad, epsilon, memory, generalization.", "what-breaks"),
    Lesson(9, "Where it leads",
           "AdamW and weight decay, grokking, and LoRA.", "where-it-leads"),
    Lesson(10, "Adam's family",
           "AdaMax, NAdam, RAdam, Lion, Adafactor and Muon: what each changes, what it "
           "keeps in memory, how it moves.", "family-tree"),
    Lesson(11, "Which Adam are you running?",
           "PyTorch, Keras, optax and MLX: the same name, four rules; AdamW's λ across "
           "libraries; code to take away.", "which-adam"),
    Lesson(12, "Adam in low precision",
           "A lab: float32, bfloat16 and float16, master weights, ε and loss scaling, and "
           "what breaks at which step.", "low-precision"),
)
PLAYGROUND = Lesson(None, "Playground: your own landscape",
                    "Type any f(x, y) and race every optimizer on it.", "own-landscape")
REVIEW = Lesson(None, "Review what you missed",
                "The check questions you missed, back again until they stick.", "review")
PAGES: tuple[Lesson, ...] = (HOME, *LESSONS, PLAYGROUND, REVIEW)


def by_url_path(url_path: str) -> Lesson:
    """The lesson (or page) served at ``url_path``."""
    return next(page for page in PAGES if page.url_path == url_path)
