"""Lesson 5: the findings table, the reproduction's runs, and the page."""

import numpy as np
import pytest
import streamlit as st

from explainers import paper_reproduced as paper
from tests import apptest
from tests.apptest import rerun


def test_findings_are_the_papers_sections():
    assert list(paper.FINDINGS["section"])[:5] == [
        "6.1, Figure 1 (left)", "6.1, Figure 1 (right)", "6.2, Figure 2", "6.3, Figure 3",
        "6.4, Figure 4"]
    lm = paper.FINDINGS.set_index("experiment").loc["Character-level language model"]
    assert lm["section"] == "not in the paper"


@pytest.fixture(scope="module")
def digits_adam():
    task = paper.tasks()[0]
    return paper.run_contender(task, paper.CONTENDERS[0])


def test_grid_search_and_curves(digits_adam):
    assert len(digits_adam.grid) == 6
    assert digits_adam.alpha in paper.CONTENDERS[0].alphas
    chosen = digits_adam.grid.set_index("α").loc[digits_adam.alpha]
    assert chosen.iloc[0] == digits_adam.grid.iloc[:, 1].min()
    assert digits_adam.curves.shape == (paper.EPOCHS + 1, len(paper.SEEDS))
    assert np.all(digits_adam.curves[-1] < 0.5 * digits_adam.curves[0])
    assert np.isfinite(digits_adam.curves).all()


def test_page_runs_from_a_cold_cache():
    st.cache_data.clear()
    at = apptest.open_page("pages/paper-reproduced.py")
    verdicts = at.dataframe[0].value["here"].tolist()
    assert len(verdicts) == 4 and set(verdicts) <= {"agrees", "differs"}
    fig = apptest.figures(at)[0]
    names = [t["name"] for t in fig["data"] if t.get("showlegend")]
    assert len(names) == len(paper.CONTENDERS)
    assert len(at.table[0].value) == len(paper.FINDINGS)
    at.toggle(key="decay").set_value(False)
    rerun(at)
    assert at.query_params["decay"] == "0"
    assert not at.get("progress")


def test_every_contender_has_a_grid_of_the_same_size_as_the_text_says():
    assert len({len(c.alphas) for c in paper.CONTENDERS}) == 1
