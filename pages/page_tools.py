"""Small pieces every lesson page offers: the code that ran, and the numbers as CSV."""
from __future__ import annotations

import inspect

import pandas as pd
import streamlit as st


def show_code(*classes) -> None:
    """An expander with the source of the engine classes that computed this page,
    read with inspect.getsource, so the code shown is the code that ran."""
    with st.expander("Show the code that ran"):
        for cls in dict.fromkeys(classes):  # each once, in order
            module = inspect.getmodule(cls).__name__
            st.caption(f"{cls.__name__}, from {module}")
            st.code(inspect.getsource(cls), language="python")


def csv_download(frame: pd.DataFrame, file_name: str, label: str = "Download as CSV") -> None:
    """A download button for a table of numbers."""
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=f"csv_{file_name}")
