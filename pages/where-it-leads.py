"""Lesson 8: where it leads. AdamW and weight decay, grokking, LoRA."""
import streamlit as st

from explainers import where_it_leads as leads
from optim import Adam, AdamW
from ui.controls import control
from ui.lesson import lesson_page
from ui.page_tools import chart, csv_download, show_code
from ui.url_sync import reset_button


@st.cache_data(max_entries=16, show_spinner=False)
def decay(weight_decay):
    return leads.decay_rates(leads.decay_runs(weight_decay), weight_decay)


@st.cache_data(show_spinner="Fine-tuning with Adam...")
def lora():
    return leads.lora_runs()


page = lesson_page(leads.SPECS)
page.notice()

st.markdown(page.text("adamw"))
a, b = st.columns(2)
weight_decay, step = control(leads.DECAY, a), control(leads.STEP, b)
rates = decay(weight_decay)
chart(leads.decay_figure(rates), key="decay")
st.caption(f"Share of each weight removed by decay at every step (log scale), α = "
           f"{leads.DECAY_ALPHA:g}, λ = {weight_decay:g}: solid for x (gentle slope), dashed for "
           "y (steep slope).")
table = leads.decay_table(rates, step)
st.dataframe(table, hide_index=True, width="stretch", column_config={
    c: st.column_config.NumberColumn(format="%.3g") for c in table.columns[1:]})
csv_download(table, "weight-decay.csv", "Download the decay table as CSV")
coupled = table.iloc[:, 1].to_numpy()
st.markdown(f"At step {step}, Adam + L2 removes {coupled[0]:.3g} of x but only "
            f"{coupled[1]:.3g} of y, the weight with the large gradients; AdamW removes "
            f"{table.iloc[0, 2]:.3g} of both.")

st.divider()
st.markdown(page.text("grokking"))

st.divider()
st.markdown(page.text("lora", shape=f"{leads.D} × {leads.K}", rank=leads.RANK))
runs = lora()
lora_run, full_run = runs["LoRA (rank 2)"], runs["full fine-tuning"]
st.dataframe(leads.first_step_table(lora_run["first_step"]), hide_index=True, width="stretch")
chart(leads.lora_figure(runs), key="lora")
st.caption(f"Training loss over {leads.LORA_STEPS} Adam steps (α = {leads.LORA_ALPHA:g}) for the "
           f"rank-{leads.RANK} LoRA factors and for all weights of the layer.")
st.dataframe(leads.size_table(runs), hide_index=True, width="stretch",
             column_config={"final training loss": st.column_config.NumberColumn(format="%.3g")})
big, small = 4096, 8  # a transformer layer's size, and a common LoRA rank
st.markdown(f"LoRA trains {lora_run['trained']:,} numbers instead of {full_run['trained']:,} "
            f"and Adam keeps {lora_run['state bytes']:,} bytes of state instead of "
            f"{full_run['state bytes']:,}. In a real model the layers are larger and the saving "
            f"grows: a {big:,} × {big:,} layer at rank {small} trains "
            f"{big * big / (small * 2 * big):,.0f} times fewer numbers.")
show_code(Adam, AdamW)
reset_button(leads.SPECS)
page.publish()
