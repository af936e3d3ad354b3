"""A learner's own loss surface: a small, safe expression language in x and y.

Text such as ``x**2 + 10*y**2`` or ``sin(3*x)*cos(3*y) + 0.1*(x**2 + y**2)`` is read
by Python's parser (``ast.parse``, which only builds a tree and runs nothing) and
then checked node by node against a whitelist: numbers, ``x``, ``y``, ``pi``, ``e``,
``+ - * / **``, unary minus and plus, and the functions in :data:`FUNCTIONS`.
Anything else (attribute access, subscripts, other names, calls of other things,
comprehensions, lambdas, strings, comparisons) is refused with a message that says
where.  Limits keep one expression from stalling a shared server: its length, the
depth and size of its tree, the size of numbers, and exponents, which must be
constants between -10 and 10 (so ``9**9**9`` is refused before anything is computed).

Values and exact gradients come from one pass of forward-mode differentiation over
the tree: every node returns ``(f, df/dx, df/dy)``.  Where a function or its
derivative is undefined (``log`` of a negative number, ``sqrt`` at 0) the result is
not finite, and the runner flags the run as diverged there; ``abs``, ``min`` and
``max`` take the derivative of the branch they select (0 for ``abs`` at 0).
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MAX_LENGTH = 200
MAX_DEPTH = 30
MAX_NODES = 120
MAX_NUMBER = 1e6
MAX_EXPONENT = 10
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLES = ("x", "y")


def _d_tan(v):
    return 1.0 / np.cos(v) ** 2


# name: (number of arguments, f, f') for the one-argument functions
UNARY = {
    "sin": (np.sin, np.cos),
    "cos": (np.cos, lambda v: -np.sin(v)),
    "tan": (np.tan, _d_tan),
    "exp": (np.exp, np.exp),
    "log": (np.log, lambda v: 1.0 / v),
    "sqrt": (np.sqrt, lambda v: 0.5 / np.sqrt(v)),
    "abs": (np.abs, np.sign),
    "tanh": (np.tanh, lambda v: 1.0 - np.tanh(v) ** 2),
    "sinh": (np.sinh, np.cosh),
    "cosh": (np.cosh, np.sinh),
    "atan": (np.arctan, lambda v: 1.0 / (1.0 + v * v)),
}
BINARY_FUNCTIONS = ("min", "max")
FUNCTIONS = tuple(UNARY) + BINARY_FUNCTIONS


class ExpressionError(ValueError):
    """What is wrong with an expression, and where (1-based column, or None)."""

    def __init__(self, message: str, column: int | None = None):
        where = f" at column {column}" if column is not None else ""
        super().__init__(f"{message}{where}.")
        self.column = column


@dataclass(frozen=True)
class Node:
    kind: str  # "num", "var", "neg", "add", "sub", "mul", "div", "pow", or a function name
    args: tuple = ()
    value: float = 0.0  # for "num"; the exponent for "pow"; the variable index for "var"


_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}


def _column(node) -> int | None:
    offset = getattr(node, "col_offset", None)
    return None if offset is None else offset + 1


def _constant_value(node: Node) -> float | None:
    """The number a sub-tree stands for, if it uses neither x nor y."""
    if node.kind == "num":
        return node.value
    if node.kind == "neg":
        inner = _constant_value(node.args[0])
        return None if inner is None else -inner
    return None


def parse(text: str) -> Node:
    """The checked tree of ``text``, or :class:`ExpressionError`."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("Type a formula in x and y, for example x**2 + 10*y**2")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"The formula is {len(text)} characters long; keep it under "
                              f"{MAX_LENGTH}")
    if "#" in text:
        raise ExpressionError("A formula cannot hold a comment (#); delete it",
                              text.index("#") + 1)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ExpressionError(f"This is not a formula Python can read ({err.msg})",
                              max(1, err.offset or 1)) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("This formula cannot be read") from None
    count = [0]
    return _convert(tree.body, 1, count)


def _fold(kind: str, a: float, b: float, col) -> Node:
    """Work out an operation on two numbers now (e.g. 1/2 in x**(1/2))."""
    with np.errstate(all="ignore"):
        value = {"add": a + b, "sub": a - b, "mul": a * b,
                 "div": np.float64(a) / b if b != 0 else np.inf,
                 "pow": np.float64(abs(a)) ** b * (np.sign(a) ** b if a < 0 else 1)}[kind]
    if not (np.isfinite(value) and abs(value) <= MAX_NUMBER ** 2):
        raise ExpressionError("A calculation with numbers here gives an impossible or huge "
                              "value", col)
    return Node("num", value=float(value))


def _convert(node, depth: int, count: list) -> Node:
    count[0] += 1
    if depth > MAX_DEPTH:
        raise ExpressionError(f"The formula is nested too deeply (more than {MAX_DEPTH} levels)",
                              _column(node))
    if count[0] > MAX_NODES:
        raise ExpressionError(f"The formula has too many parts (more than {MAX_NODES})")
    col = _column(node)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"Only numbers are allowed, not {type(node.value).__name__}",
                                  col)
        if not abs(node.value) <= MAX_NUMBER:
            raise ExpressionError(f"The number {node.value:g} is too large; keep numbers within "
                                  f"±{MAX_NUMBER:g}", col)
        return Node("num", value=float(node.value))
    if isinstance(node, ast.Name):
        if node.id in VARIABLES:
            return Node("var", value=float(VARIABLES.index(node.id)))
        if node.id in CONSTANTS:
            return Node("num", value=CONSTANTS[node.id])
        if node.id in FUNCTIONS:
            raise ExpressionError(f"'{node.id}' is a function: write {node.id}(...)", col)
        raise ExpressionError(f"Unknown name '{node.id[:20]}'; use x, y, pi, e or one of "
                              f"{', '.join(FUNCTIONS)}", col)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _convert(node.operand, depth + 1, count)
        return Node("neg", (inner,)) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        kind = _BINOPS[type(node.op)]
        left = _convert(node.left, depth + 1, count)
        right = _convert(node.right, depth + 1, count)
        if kind == "pow" and _constant_value(right) is not None and \
                abs(_constant_value(right)) > MAX_EXPONENT:
            raise ExpressionError(f"The exponent {_constant_value(right):g} is too large; keep "
                                  f"exponents between -{MAX_EXPONENT} and {MAX_EXPONENT}",
                                  _column(node.right))
        if _constant_value(left) is not None and _constant_value(right) is not None:
            return _fold(kind, _constant_value(left), _constant_value(right), col)
        if kind == "pow":
            exponent = _constant_value(right)
            if exponent is None:
                raise ExpressionError("An exponent must be a plain number (write exp(y*log(x)) "
                                      "for a variable power)", _column(node.right))
            if abs(exponent) > MAX_EXPONENT:
                raise ExpressionError(f"The exponent {exponent:g} is too large; keep exponents "
                                      f"between -{MAX_EXPONENT} and {MAX_EXPONENT}",
                                      _column(node.right))
            return Node("pow", (left,), value=exponent)
        return Node(kind, (left, right))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"Only these functions can be called: {', '.join(FUNCTIONS)}",
                                  col)
        if node.func.id not in FUNCTIONS:
            raise ExpressionError(f"Unknown function '{node.func.id[:20]}'; try one of "
                                  f"{', '.join(FUNCTIONS)}", col)
        if node.keywords:
            raise ExpressionError("Functions take plain arguments, not name=value", col)
        wanted = 2 if node.func.id in BINARY_FUNCTIONS else 1
        if len(node.args) != wanted:
            raise ExpressionError(f"{node.func.id}() takes {wanted} argument"
                                  f"{'s' if wanted > 1 else ''}, not {len(node.args)}", col)
        return Node(node.func.id, tuple(_convert(a, depth + 1, count) for a in node.args))
    raise ExpressionError(_refusal(node), col)


_OPERATORS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
              ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
              ast.Invert: "~", ast.Not: "not"}
_REFUSED = {ast.Attribute: "Attribute access (a dot)", ast.Subscript: "Indexing with [ ]",
            ast.Lambda: "lambda", ast.Compare: "Comparisons", ast.BoolOp: "and/or",
            ast.IfExp: "if/else", ast.JoinedStr: "Text", ast.List: "Lists",
            ast.Tuple: "Tuples", ast.Set: "Sets", ast.Dict: "Dictionaries",
            ast.ListComp: "Comprehensions", ast.SetComp: "Comprehensions",
            ast.DictComp: "Comprehensions", ast.GeneratorExp: "Comprehensions",
            ast.Starred: "Unpacking with *", ast.NamedExpr: "Assignment with :=",
            ast.Slice: "Slices", ast.Await: "await", ast.Yield: "yield",
            ast.YieldFrom: "yield"}


def _refusal(node) -> str:
    """Why a part of the formula is refused, in the learner's words (never the name of
    a class of Python's parser)."""
    op = getattr(node, "op", None)
    if type(op) in _OPERATORS:
        return (f"The operator {_OPERATORS[type(op)]} is not allowed in a formula; use "
                "+ - * / and ** (a power)")
    what = _REFUSED.get(type(node))
    if what:
        return f"{what} is not allowed in a formula"
    return ("That is not allowed in a formula; use numbers, x, y, pi, e, + - * / ** and "
            "functions such as sin(x)")


def evaluate(tree: Node, points: np.ndarray):
    """``(f, grad f)`` at points of shape (..., 2), by forward-mode differentiation."""
    points = np.asarray(points, dtype=np.float64)
    x, y = points[..., 0], points[..., 1]
    with np.errstate(all="ignore"):
        f, dx, dy = _dual(tree, x, y)
    shape = np.shape(x)
    grad = np.empty(shape + (2,))
    grad[..., 0], grad[..., 1] = dx, dy
    return np.broadcast_to(f, shape).astype(np.float64), grad


def _dual(n: Node, x, y):
    k = n.kind
    if k == "num":
        return n.value, 0.0, 0.0
    if k == "var":
        return (x, 1.0, 0.0) if n.value == 0 else (y, 0.0, 1.0)
    if k == "neg":
        f, a, b = _dual(n.args[0], x, y)
        return -f, -a, -b
    if k == "pow":
        f, a, b = _dual(n.args[0], x, y)
        c = n.value
        d = c * f ** (c - 1) if c != 0 else 0.0
        return f ** c, d * a, d * b
    if k in ("add", "sub", "mul", "div", "min", "max"):
        (f, fa, fb), (g, ga, gb) = (_dual(a, x, y) for a in n.args)
        if k == "add":
            return f + g, fa + ga, fb + gb
        if k == "sub":
            return f - g, fa - ga, fb - gb
        if k == "mul":
            return f * g, fa * g + f * ga, fb * g + f * gb
        if k == "div":
            return f / g, (fa * g - f * ga) / (g * g), (fb * g - f * gb) / (g * g)
        pick = f <= g if k == "min" else f >= g
        return (np.where(pick, f, g), np.where(pick, fa, ga), np.where(pick, fb, gb))
    fn, dfn = UNARY[k]
    f, a, b = _dual(n.args[0], x, y)
    d = dfn(f)
    return fn(f), d * a, d * b


def size(text: str) -> int:
    """How many parts (nodes) the checked tree of ``text`` has: the cost of evaluating
    it once, in units of one operation, function, number or variable."""
    def count(node: Node) -> int:
        return 1 + sum(count(arg) for arg in node.args)
    return count(parse(text))


def canonical(text: str) -> str:
    """The formula as Python reads it, on one line (``x**2+ 10*y**2`` gives
    ``x ** 2 + 10 * y ** 2``): what the app shows, never the raw text. Checked first."""
    parse(text)
    return ast.unparse(ast.parse(text.strip(), mode="eval"))


@lru_cache(maxsize=256)
def compiled(text: str):
    """The value-and-gradient function of an expression (parsed once per text)."""
    tree = parse(text)
    return lambda points: evaluate(tree, points)
