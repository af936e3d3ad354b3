"""Turns engine output into what a page shows: Plotly figures, tables, lesson text.

Pure functions, no Streamlit: testable without a browser.
"""
