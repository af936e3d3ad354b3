"""Adam, step by step: the entry point. It draws the app's frame (ui/shell.py: the
navigation over pages/, presenter mode) and runs the page the reader asked for."""
from ui.shell import frame

frame().run()
