"""The live class: a teacher asks the room a lesson's question, every student answers on
their own device, the projector shows the spread of answers (peer instruction, Crouch &
Mazur, Am. J. Phys. 69, 970 (2001)).

``classroom.classes`` holds the rules (who may do what, one answer per device per
round, when a class ends); ``classroom.sqlite_store`` and ``classroom.redis_store`` keep
the state, chosen by one setting (:func:`classroom.classes.open_classes`). Nothing here
knows Streamlit: ``ui.live_class`` draws it.
"""
