"""Lesson 5: warmup and schedules. Sign descent first, then why the first steps are risky,
then a race in the fog with and without a warmup, a decay and RAdam."""
import streamlit as st

from explainers import warmup
from explainers.one_step_by_hand import SEED_GRADIENT
from optim import Adam, RAdam
from optim.schedules import LinearWarmup, WarmupCosine
from optim.surfaces import SURFACES
from ui.lesson import lesson_page
from ui.page_tools import chart, csv_download, show_code

page = lesson_page(warmup.SPECS)
page.notice()

values = page.sidebar("The race")
beta2 = values[warmup.BETA2.key]

st.markdown(page.text("intro"))
page.ask("small_step")
first = warmup.first_step()
st.markdown(page.text("first_step", first, seed=SEED_GRADIENT,
                      seed_steps=tuple(-s for s in warmup.sign_steps(SEED_GRADIENT))))

st.subheader("Why the first steps are risky")
early = warmup.early_steps(beta2)
chart(warmup.early_figure(early), key="early")
rect = warmup.rectification(beta2)
st.markdown(page.text("early", warmup.early(early), hikers=warmup.NOISE_SEEDS))
st.markdown(page.text("rectify", beta2=f"{beta2:g}", first_adaptive=rect.answer,
                      ma_yarats=rect.ma_yarats))

st.subheader("The schedules")
chart(warmup.schedule_figure(values), key="schedules")
st.caption(page.text("schedule_caption", warmup=values[warmup.WARMUP.key],
                     final=warmup.FINAL.show(values[warmup.FINAL.key]),
                     r_end=warmup.rectifier_at(beta2, values[warmup.STEPS.key]),
                     steps=values[warmup.STEPS.key], first_adaptive=rect.answer))

st.subheader("A race in the fog")
st.markdown(page.text("race"))
page.ask("race", **warmup.winner_settings(values))
result = warmup.race_for(values)
left, right = st.columns(2)
chart(warmup.ends_figure(result), key="ends", where=left)
chart(warmup.loss_figure(result), key="losses", where=right)
fog = values[warmup.FOG.key]
seeds = len(result.runs["constant"].diverged)
st.caption(page.text("race_caption", landscape=SURFACES[result.surface].name,
                     alpha=f"{values[warmup.ALPHA.key]:g}", fog=f"{fog:g}",
                     steps=result.steps, warmup=values[warmup.WARMUP.key],
                     seeds=warmup.runs_phrase(seeds)))
table = warmup.race_table(result)
st.dataframe(table, hide_index=True, width="stretch")
st.markdown(page.text("verdict", warmup.lowest(tuple(sorted(values.items()))),
                      radam_note=warmup.radam_note(result, values[warmup.ALPHA.key], beta2)))
st.markdown(page.text("decay", effect=warmup.decay_effect(result)))
st.markdown(page.text("after"))
csv_download(table, "warmup-race.csv", "Download the race's table as CSV")
show_code(LinearWarmup, WarmupCosine, RAdam, Adam)
page.checks()
page.publish()
