"""Streamlit helpers shared by the pages: the app's frame, a lesson page's furniture,
URL sync, figures, the race's controls and stage, and what the browser reports."""
