"""The layers point one way: pages -> ui -> explainers -> optim, and ui -> classroom (the
live class's rules and store). Checked by reading every import (inside functions too)."""
import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)
# what each layer may import besides the standard library and itself
ALLOWED = {
    "optim": {"numpy"},
    "classroom": {"redis"},
    "explainers": {"numpy", "pandas", "plotly", "optim"},
    "ui": {"numpy", "pandas", "plotly", "streamlit", "segno", "optim", "explainers",
           "classroom"},
    "pages": {"numpy", "pandas", "plotly", "streamlit", "optim", "explainers", "ui"},
}


def imported(source: str, package: str) -> set[str]:
    """The top-level names of every module ``source`` imports (a relative import is of
    its own ``package``)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(package if node.level else node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = {}
    for path in sorted((ROOT / layer).rglob("*.py")):
        names = imported(path.read_text(encoding="utf-8"), layer)
        extra = names - STDLIB - ALLOWED[layer] - {layer, "__future__"}
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert wrong == {}


def test_app_py_only_routes():
    assert imported((ROOT / "app.py").read_text(encoding="utf-8"), "") == {"ui"}


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    source = "from .surfaces import SURFACES\ndef f():\n    import streamlit as st\n"
    assert imported(source, "optim") == {"optim", "streamlit"}
