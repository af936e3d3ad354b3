"""The race of optimizers on a 2D landscape, shared by the foggy hiker and the playground:
its setup and runs (``setup``), racers (``racers``), controls (``controls``), the
landscape under it (``landscape``) and its animated figure (``figure``)."""
