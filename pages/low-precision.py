"""Lesson 12: Adam in low precision. A lab: three weights, three formats, master weights,
epsilon and loss scaling, and what breaks at which step."""
import streamlit as st

from explainers import low_precision as lp
from optim import Adam
from optim.precision import FORMATS, run_low_precision
from ui.lesson import lesson_page
from ui.page_tools import chart, csv_download, show_code

page = lesson_page(lp.SPECS)
page.notice()
values = page.sidebar("The lab")

f16, bf16 = FORMATS["float16"], FORMATS["bfloat16"]
page.prose("intro", "Adam in 16 bits", f16_bits=f16.significand_bits,
           bf16_bits=bf16.significand_bits, f16_small=f"{f16.smallest_subnormal:.3g}",
           f16_large=f"{f16.largest:g}", tiny=f"{lp.typical_gradient():.2g}")
page.ask("zero_gradient", dtype=values[lp.DTYPE.key], eps=values[lp.EPS.key])

result = lp.run_for(values)
name = values[lp.DTYPE.key] + (" with float32 master weights" if values[lp.MASTER.key] else "")
if page.slide(f"The weights in {name}"):
    said = page.text("result", name=name, verdict=lp.verdict(result))
    chart(lp.weights_figure(values), "weights", reserve=page.reserve(said, more=2))
    st.markdown(said)

table = lp.survey(values)
if page.slide("Every format at once"):
    st.markdown(page.text("survey"))
    page.table(table, hide_index=True, width="stretch",
               column_config={"broke": st.column_config.TextColumn(width="medium")})
page.prose("why", "Why")
if not page.deck:
    csv_download(table, "low-precision.csv", "Download the table as CSV")
    show_code(run_low_precision, Adam)
page.checks()
page.publish()
