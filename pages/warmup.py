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

page.prose("intro", "Why warm up?")
page.ask("small_step")
first = warmup.first_step()
page.prose("first_step", "Sign descent", first, seed=SEED_GRADIENT,
           seed_steps=tuple(-s for s in warmup.sign_steps(SEED_GRADIENT)))

early = warmup.early_steps(beta2)
if page.section("Why the first steps are risky"):
    chart(warmup.early_figure(early), key="early")
rect = warmup.rectification(beta2)
page.prose("early", "A handful of gradients", warmup.early(early), hikers=warmup.NOISE_SEEDS)
page.prose("rectify", "RAdam and the untuned warmup", beta2=f"{beta2:g}",
           first_adaptive=rect.answer, ma_yarats=rect.ma_yarats)

if page.section("The schedules"):
    page.figure(warmup.schedule_figure(values), "schedules", page.text(
        "schedule_caption", warmup=values[warmup.WARMUP.key],
        final=warmup.FINAL.show(values[warmup.FINAL.key]),
        r_end=warmup.rectifier_at(beta2, values[warmup.STEPS.key]),
        steps=values[warmup.STEPS.key], first_adaptive=rect.answer))

if page.section("A race in the fog"):
    st.markdown(page.text("race"))
page.ask("race", **warmup.winner_settings(values))
result = warmup.race_for(values)
if page.slide("Where the runs end"):
    fog = values[warmup.FOG.key]
    seeds = len(result.runs["constant"].diverged)
    caption = page.text("race_caption", landscape=SURFACES[result.surface].name,
                        alpha=f"{values[warmup.ALPHA.key]:g}", fog=f"{fog:g}",
                        steps=result.steps, warmup=values[warmup.WARMUP.key],
                        seeds=warmup.runs_phrase(seeds))
    left, right = st.columns(2)
    chart(warmup.ends_figure(result), key="ends", where=left, reserve=page.reserve(caption))
    chart(warmup.loss_figure(result), key="losses", where=right, reserve=page.reserve(caption))
    st.caption(caption)
table = warmup.race_table(result)
if page.slide("Which run ends lowest"):
    st.dataframe(table, hide_index=True, width="stretch")
    st.markdown(page.text("verdict", warmup.lowest(tuple(sorted(values.items()))),
                          radam_note=warmup.radam_note(result, values[warmup.ALPHA.key],
                                                       beta2)))
page.prose("decay", "What the decay does", effect=warmup.decay_effect(result))
page.prose("after", "What to take away")
if not page.deck:
    csv_download(table, "warmup-race.csv", "Download the race's table as CSV")
    show_code(LinearWarmup, WarmupCosine, RAdam, Adam)
page.checks()
page.publish()
