"""Controls that belong to the whole app rather than one page."""
from .url_state import Flag

PRESENT = Flag("present", "Presenter mode", False)
