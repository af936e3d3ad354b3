"""Lesson 6: the findings table, the reproduction's runs, the page, and the answers of its
prediction and checks."""

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


def test_the_stored_runs_are_what_the_engine_makes():
    made = paper.every_run()
    assert set(made) == set(paper._stored())
    for key, result in made.items():
        stored = paper.stored_result(*key.split("/")[:2], key.endswith("/decay"))
        assert stored.alpha == result.alpha, key
        np.testing.assert_allclose(stored.grid.to_numpy(float), result.grid.to_numpy(float),
                                   rtol=1e-9, err_msg=key)
        np.testing.assert_allclose(stored.curves, result.curves, rtol=1e-9, err_msg=key)
        np.testing.assert_array_equal(stored.epochs, result.epochs)


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


# -- the lesson's questions (explainers/text/paper_reproduced.toml) ------------------

def _fake(final_by_key: dict[str, tuple[float, ...]]) -> dict[str, paper.Result]:
    """Results whose last epoch has the given losses per seed (the first epoch is 1)."""
    return {k: paper.Result(None, 0.1, np.arange(2.0), np.array([[1.0] * len(v), v]))
            for k, v in final_by_key.items()}


def test_the_sparse_winner_is_the_lowest_mean_and_overlapping_seeds_tie():
    finals = {"adam": (0.20, 0.21, 0.22), "adagrad": (0.10, 0.11, 0.12),
              "rmsprop": (0.30, 0.31, 0.32), "momentum": (0.40, 0.4, 0.4), "sgd": (0.5, 0.5, 0.5)}
    result = paper.sparse_winner(results=_fake(finals))
    assert result.answer == "adagrad"
    assert result.adagrad == pytest.approx(0.11) and result.seeds == len(paper.SEEDS)
    finals["adam"] = (0.115, 0.13, 0.14)  # its best seed beats adagrad's worst: a tie
    assert paper.sparse_winner(results=_fake(finals)).answer == frozenset({"adam", "adagrad"})


def test_the_sparse_winner_is_computed_from_the_runs_at_the_page_setting():
    words = paper.tasks()[1]
    for decay in (True, False):
        runs = {c.key: paper.run_contender(words, c, decay) for c in paper.CONTENDERS}
        result = paper.sparse_winner(decay, runs)
        finals = {k: paper._final(r) for k, r in runs.items()}
        lowest = min(finals, key=finals.get)
        assert lowest in (result.answer if isinstance(result.answer, frozenset)
                          else {result.answer})
        assert result.sgd == pytest.approx(finals["sgd"])


@pytest.mark.parametrize("rare_every, steps", [(100, 1000), (10, 1000), (4, 400)])
def test_adagrad_gives_a_rare_weight_the_root_of_the_frequency_ratio(rare_every, steps):
    result = paper.adagrad_rare_rate(0.01, rare_every, steps)
    assert result.answer == pytest.approx(np.sqrt(steps / (steps // rare_every)), rel=1e-6)
    assert result.no_root == pytest.approx(result.answer ** 2, rel=1e-6)


@pytest.mark.parametrize("t", [1, 10, 10_000])
def test_a_word_first_seen_at_step_t(t):
    b1, b2 = 0.9, 0.999
    step = (1 - b1) / (1 - b1 ** t) / np.sqrt((1 - b2) / (1 - b2 ** t))
    result = paper.late_word_step(b1, b2, t, 0.2)
    assert result.answer == pytest.approx(step, rel=1e-5)  # epsilon = 1e-8 aside
    assert result.first_step == pytest.approx(1.0, rel=1e-6)


def test_a_fresh_learner_predicts_before_the_curves_show():
    at = apptest.open_page("pages/paper-reproduced.py", predicted=False)
    assert not apptest.figures(at) and not at.get("dataframe")
    assert any("sparse bag of words" in m.value for m in at.markdown)
    at.radio(key="predict_paper_reproduced_sparse_winner_answer").set_value("sgd")
    at.button(key="FormSubmitter:predict_paper_reproduced_sparse_winner-Lock in my prediction"
              ).click()
    rerun(at)
    assert at.warning[0].value.startswith("**Not quite.** You predicted **Plain SGD**")
    assert apptest.figures(at)  # and the page goes on to its last section's prediction
    assert at.subheader[-1].value == "Do adaptive methods generalize worse?"
