"""Every cache has a bound: many learners typing many formulas cannot grow the server."""
import ast
import pathlib
import tracemalloc

from explainers.race.landscape import contour_trace
from explainers.race.setup import typical_slope
from optim.surfaces import expression_key, surface

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
           *sorted((ROOT / "explainers").rglob("*.py")), *sorted((ROOT / "optim").glob("*.py"))]


def _name(node) -> str:
    return ast.unparse(node.func if isinstance(node, ast.Call) else node)


def _unbounded(decorator) -> bool:
    """functools.cache, lru_cache(maxsize=None), or st.cache_data/resource without
    max_entries."""
    name = _name(decorator)
    keywords = {k.arg: k.value for k in getattr(decorator, "keywords", [])}
    if name.endswith("lru_cache") and isinstance(decorator, ast.Call):
        size = keywords.get("maxsize", decorator.args[0] if decorator.args else None)
        return isinstance(size, ast.Constant) and size.value is None
    if name in ("cache", "functools.cache"):
        return True
    if name.endswith(("cache_data", "cache_resource")):
        return "max_entries" not in keywords
    return False


def test_every_cache_of_a_function_with_arguments_has_a_bound():
    unbounded = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and (node.args.args or node.args.posonlyargs):
                unbounded += [f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                              for d in node.decorator_list if _unbounded(d)]
    assert unbounded == []


def _visit_formulas(start: int, count: int) -> None:
    """What the playground computes for a new formula: the surface, its contour map and
    the unit of fog."""
    for i in range(start, start + count):
        key = expression_key(f"x**2 + {i}*y**2 + sin({i % 7 + 1}*x)", (-2.0, 2.0, -1.0, 3.0))
        contour_trace(surface(key))
        typical_slope(key)


def test_memory_levels_off_after_hundreds_of_distinct_formulas():
    tracemalloc.start()
    try:
        _visit_formulas(0, 300)  # fill every cache to its bound, traced
        before = tracemalloc.get_traced_memory()[0]
        _visit_formulas(300, 300)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # an unbounded contour cache alone would keep ~82 kB per formula: ~25 MB here
    assert grown < 2_000_000, f"{grown / 1e6:.1f} MB kept for 300 more formulas"
