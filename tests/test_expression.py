"""The playground's expression language: exact gradients, and nothing but formulas."""
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optim.expression import MAX_LENGTH, ExpressionError, canonical, compiled, parse
from optim.surfaces import PRESETS, SURFACES, expression_key, surface

# Smooth formulas only (no abs/min/max kinks, no poles): their gradients must match
# central differences everywhere they are finite.
leaves = st.one_of(st.sampled_from(["x", "y", "pi", "e"]),
                   st.floats(-3, 3, allow_nan=False).map(lambda v: f"{v:.3g}"))


def combine(children):
    unary = st.sampled_from(["sin", "cos", "tanh", "atan"]).flatmap(
        lambda f: children.map(lambda a: f"{f}({a})"))
    bounded = children.map(lambda a: f"exp(tanh({a}))")
    square = children.map(lambda a: f"({a})**2")
    quotient = st.tuples(children, children).map(lambda ab: f"({ab[0]})/(1 + ({ab[1]})**2)")
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})")
    return st.one_of(unary, bounded, square, quotient, binary)


smooth = st.recursive(leaves, combine, max_leaves=12).filter(lambda s: len(s) <= MAX_LENGTH)
points = st.tuples(st.floats(-2, 2), st.floats(-2, 2))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=smooth, point=points)
def test_gradient_matches_finite_differences(text, point):
    f = compiled(text)
    p = np.array(point)
    value, grad = f(p)
    h = 1e-6
    fd = np.array([(f(p + d)[0] - f(p - d)[0]) / (2 * h) for d in (np.array([h, 0.0]),
                                                                   np.array([0.0, h]))])
    assume(np.isfinite(value) and np.isfinite(grad).all() and np.abs(grad).max() < 1e4)
    np.testing.assert_allclose(grad, fd, rtol=1e-4, atol=1e-4 * (1 + abs(float(value))))


HOSTILE = [
    "__import__('os').system('echo hi')", "os.system('ls')", "x.__class__", "().__class__",
    "x.__class__.__bases__[0].__subclasses__()", "open('/etc/passwd')", "eval('1+1')",
    "exec('x=1')", "globals()", "[x for x in range(9)]", "lambda: 1", "x[0]", "x if y else 1",
    "x < y", "x and y", "'text'", "f'{x}'", "b'x'", "{1: 2}", "(1, 2)", "[1, 2]", "x @ y",
    "x // y", "x % y", "x ^ y", "~x", "not x", "x := 1", "9**9**9", "x**1000", "2**(x)",
    "1e400*x", "10**10**10", "(" * 300 + "x" + ")" * 300, "-" * 150 + "x",
    "sin(" * 40 + "x" + ")" * 40, "x" + "+x" * 150, "", "   ", "x +", "sin x", "sin()",
    "min(x)", "max(x, y, 1)", "sin(x=1)", "foo(x)", "z + 1", "__builtins__", "pi.real",
    "sqrt(-1)**0.5.real", "import os", "x; y", "\x00", "x\ny", "yield x", "await x",
    "True", "None", "...", "1j*x",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_gets_a_clear_error(text):
    with pytest.raises(ExpressionError) as err:
        parse(text)
    message = str(err.value)
    assert message.endswith(".") and len(message) < 300


@settings(max_examples=2000, deadline=None)
@given(text=st.text(max_size=120))
def test_random_text_is_a_formula_or_a_clear_error(text):
    try:
        f = compiled(text)
    except ExpressionError:
        pass
    else:
        value, grad = f(np.array([0.5, -0.5]))
        assert np.shape(value) == () and grad.shape == (2,)


PARSER_WORDS = re.compile(r"\b(BinOp|UnaryOp|Constant|Name|Call|Expr|Dict|Set|Starred|NamedExpr|"
                          r"ListComp|GeneratorExp|Slice|ast)\b")


@pytest.mark.parametrize("text", HOSTILE + ["x % 2", "x // 2", "x @ y", "~x", "not x", "x | y",
                                            "{x: 1}", "{x}", "[x for x in y]", "(y := 2)",
                                            "*x", "x << 1"])
def test_messages_speak_the_learners_language(text):
    with pytest.raises(ExpressionError) as err:
        parse(text)
    assert not PARSER_WORDS.search(str(err.value)), str(err.value)


def test_operators_are_named_in_the_message():
    with pytest.raises(ExpressionError, match="The operator % is not allowed"):
        parse("x % 2")


def test_a_comment_is_refused_and_the_formula_is_shown_as_python_reads_it():
    with pytest.raises(ExpressionError, match="comment"):
        parse("x**2 # ` [Quiz answers](https://example.org)")
    assert canonical("x**2+ 10*y**2") == "x ** 2 + 10 * y ** 2"
    assert canonical("(x\n+ y)") == "x + y"
    assert surface(expression_key("x**2+y**2", (-1, 1, -1, 1))).formula == "x ** 2 + y ** 2"


def test_messages_point_at_the_problem():
    with pytest.raises(ExpressionError, match=r"Unknown name 'foo'.*at column 5"):
        parse("x + foo")
    with pytest.raises(ExpressionError, match=r"exponent 3\.87.* too large"):
        parse("9**9**9")


def test_undefined_gradients_are_values_not_crashes():
    f = compiled("abs(x) + sqrt(y) + log(x)")
    value, grad = f(np.array([[0.0, 0.0], [-1.0, 4.0]]))
    assert not np.isfinite(value[0]) and np.isnan(value[1])
    assert compiled("abs(x)")(np.array([0.0, 1.0]))[1][0] == 0.0


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_are_the_built_in_landscapes(name):
    built_in = SURFACES[name]
    formula = surface(expression_key(PRESETS[name], built_in.box))
    rng = np.random.default_rng(5)
    x0, x1, y0, y1 = built_in.box
    p = np.stack([rng.uniform(x0, x1, 50), rng.uniform(y0, y1, 50)], axis=-1)
    for a, b in zip(built_in.value_and_grad(p), formula.value_and_grad(p)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert math.dist(formula.minima[0], built_in.minima[0]) < 0.05 or name == "himmelblau" \
        or name == "saddle"


@pytest.mark.parametrize("box", [(1, -1, 0, 1), (0, 1, 0, float("inf")), (0, 1e9, 0, 1)])
def test_bad_maps_are_refused(box):
    with pytest.raises(ValueError):
        surface(expression_key("x + y", box))


def test_formula_undefined_everywhere():
    with pytest.raises(ExpressionError, match="no finite value"):
        surface(expression_key("log(-1 - x**2)", (-1, 1, -1, 1)))
