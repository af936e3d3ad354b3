"""Lesson 9: where it leads. AdamW and weight decay, grokking, LoRA."""
import streamlit as st

from explainers import where_it_leads as leads
from optim import Adam, AdamW
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import csv_download, show_code
from ui.url_sync import reset_button


@st.cache_data(max_entries=16, show_spinner=False)
def decay(weight_decay):
    return leads.decay_rates(leads.decay_runs(weight_decay), weight_decay)


@st.cache_data(show_spinner="Fine-tuning with Adam...")
def lora():
    return leads.lora_runs()


page = lesson_page(leads.SPECS)
page.notice()
reset_button(leads.SPECS)

page.prose("adamw", "AdamW: where the decay goes")
if page.deck:  # on slides each slider sits on the slide it moves
    weight_decay, step = (st.session_state[spec.key] for spec in (leads.DECAY, leads.STEP))
else:
    a, b = st.columns(2)
    weight_decay, step = control(leads.DECAY, a), control(leads.STEP, b)
page.ask("decay", weight_decay=weight_decay, t=step, within=leads.SAME_WITHIN)
rates = decay(weight_decay)
if page.slide("Coupled and decoupled decay"):
    if page.deck:
        control(leads.DECAY)
    page.figure(leads.decay_figure(rates), "decay",
                page.text("decay_caption", alpha=f"{leads.DECAY_ALPHA:g}", wd=f"{weight_decay:g}"),
                more=4)  # 4: the slider above it on a slide
table = leads.decay_table(rates, step)
if page.slide(f"The shares at step {step}, and why"):
    if page.deck:
        control(leads.STEP)
    page.table(table, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%.3g") for c in table.columns[1:]})
    if not page.deck:
        csv_download(table, "weight-decay.csv", "Download the decay table as CSV")
    coupled = table.iloc[:, 1].to_numpy()
    st.markdown(page.text("decay_result", step=step, coupled_x=float(coupled[0]),
                          coupled_y=float(coupled[1]), decoupled=float(table.iloc[0, 2])))
    st.markdown(page.text("adamw_why"))

if not page.deck:
    st.divider()
page.prose("grokking", "Grokking")

if not page.deck:
    st.divider()
page.prose("lora", "LoRA", shape=f"{leads.D} × {leads.K}", rank=leads.RANK)
page.ask("lora_first_step", alpha=leads.LORA_ALPHA)
runs = lora()
lora_run, full_run = runs["LoRA (rank 2)"], runs["full fine-tuning"]
if page.slide("LoRA's first step"):
    page.table(leads.first_step_table(lora_run["first_step"]), hide_index=True,
               width="stretch")
    st.markdown(page.text("lora_first"))
if page.slide("LoRA against full fine-tuning"):
    page.figure(leads.lora_figure(runs), "lora",
                page.text("lora_caption", steps=leads.LORA_STEPS, alpha=f"{leads.LORA_ALPHA:g}",
                          rank=leads.RANK))
if page.slide("What LoRA saves"):
    page.table(leads.size_table(runs), hide_index=True, width="stretch", column_config={
        "final training loss": st.column_config.NumberColumn(format="%.3g")})
    big, small = 4096, 8  # a transformer layer's size, and a common LoRA rank
    st.markdown(page.text("lora_result", lora_trained=lora_run["trained"],
                          full_trained=full_run["trained"], lora_bytes=lora_run["state bytes"],
                          full_bytes=full_run["state bytes"], big=big, small=small,
                          ratio=f"{big * big / (small * 2 * big):,.0f}"))
if not page.deck:
    show_code(Adam, AdamW)
page.checks()
page.publish()
