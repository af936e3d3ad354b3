"""Presenter mode's slides: how prose is cut into slides, and the room a caption needs.
(The slides themselves: tests/test_quiz.py and tests/test_app.py through AppTest, and
tests/browser/test_slides_browser.py at a projector's sizes.)"""
from explainers.text import sections
from ui.slides import PROSE_BUDGET, caption_rem, prose_parts

PARAGRAPH = "A sentence of prose about the hiker. " * 12  # about 450 characters


def test_prose_is_cut_at_paragraph_breaks_into_parts_within_the_budget():
    text = "\n\n".join([PARAGRAPH] * 8)
    parts = prose_parts(text)
    assert len(parts) > 1
    assert "\n\n".join(parts) == text.strip()  # nothing lost, nothing reordered
    assert all(len(part) <= PROSE_BUDGET for part in parts)


def test_a_displayed_equation_and_what_a_colon_introduces_stay_whole():
    equation = "$$\na = b\n\nc = d\n$$"  # a blank line inside the equation
    text = "\n\n".join([PARAGRAPH] * 3 + ["It takes two notes:", "- one\n- two", equation])
    parts = prose_parts(text, budget=600)
    assert any(part.startswith("It takes two notes:\n\n- one") for part in parts)
    assert any(equation in part for part in parts)


def test_a_paragraph_longer_than_a_slide_is_a_part_of_its_own():
    assert prose_parts(PARAGRAPH * 5 + "\n\nShort.", budget=500) == [PARAGRAPH * 5, "Short."]


def test_a_bold_heading_stays_with_what_it_heads():
    parts = prose_parts(PARAGRAPH * 3 + "\n\n**Things to try**\n\n- one\n- two", budget=600)
    assert parts[-1] == "**Things to try**\n\n- one\n- two"


def test_a_sentence_going_on_after_a_list_stays_with_it():
    text = PARAGRAPH + "\n\n- one;\n- two;\n\nand then the end."
    assert prose_parts(text, budget=500)[-1] == "- one;\n- two;\n\nand then the end."


def test_every_lesson_section_cuts_into_parts_that_each_fit():
    for module in ("foggy_hiker", "bias_correction", "tuning", "warmup", "what_breaks"):
        for name, text in sections(module).items():
            parts = prose_parts(text)
            assert all(len(p) <= PROSE_BUDGET or "\n\n" not in p for p in parts), (module, name)


def test_a_caption_keeps_a_line_per_line_of_its_column():
    assert caption_rem("x" * 100) < caption_rem("x" * 300)
    assert caption_rem("x" * 100, share=0.5) > caption_rem("x" * 100)


def test_a_table_longer_than_a_slide_is_cut_between_rows_each_part_under_its_header():
    head = ["| optimizer | what changes | state |", "| --- | --- | --- |"]
    rows = [f"| **{i}** | {'a change to the update rule, ' * 4} | 2 |" for i in range(12)]
    parts = prose_parts("\n\n".join(["Before the table.", "\n".join(head + rows), "After."]))
    tables = [[line for line in part.split("\n") if line.startswith("|")] for part in parts]
    tables = [t for t in tables if t]
    assert len(tables) >= 2
    assert all(t[:2] == head for t in tables)
    assert [row for t in tables for row in t[2:]] == rows  # every row once, in order
    assert parts[0].startswith("Before") and parts[-1].endswith("After.")
    short = "\n".join(head + rows[:3])
    assert prose_parts(short) == [short]
