"""A browser tab's side of Streamlit's websocket protocol (its protobuf BackMsg and
ForwardMsg), without a browser: for the load benchmarks and the replica test, which need
many sessions at once.

A :class:`Session` sends a rerun as the browser does (the query string, every widget
state it keeps, a fragment's id for a fragment's timed rerun) and reads the messages
until the run finishes: the elements drawn (by key), their text, the fragments that ask
to be rerun on a timer, exceptions shown, and the query string the page wrote.
"""
from __future__ import annotations

import json

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider

EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def connect(url: str, **options):
    """Open a websocket session on the app at ``url`` (http://host:port)."""
    return websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream",
                              subprotocols=["streamlit"], max_size=2 ** 26, origin=url,
                              **options)


class Session:
    """One tab: ``query`` is its address's query string, ``page`` its page's URL path."""

    def __init__(self, ws, query: str = "", page: str = ""):
        self.ws, self.query, self.page = ws, query, page
        self.page_hash = ""
        self.states = {}  # widget id -> WidgetState, sent with every rerun
        self.ids, self.elements, self.texts, self.timers = {}, {}, [], {}
        self.errors = 0
        self.exceptions = []  # what each exception shown said

    async def run(self, fragment: str = "", *triggers) -> None:
        """Rerun the page (or the fragment ``fragment``), sending the widget states kept
        in ``states`` and the one-off ``triggers``; return when the run has finished."""
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string, rerun.page_name = self.query, self.page
        rerun.page_script_hash = self.page_hash
        rerun.fragment_id = fragment
        rerun.is_auto_rerun = bool(fragment) and not triggers
        for state in [*self.states.values(), *triggers]:
            rerun.widget_states.widgets.add().CopyFrom(state)
        await self.ws.send(msg.SerializeToString())
        self.texts = []
        if not fragment:
            self.elements = {}
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = self.page_hash or fm.new_session.page_script_hash
            elif kind == "navigation":
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.timers[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._read(fm.delta.new_element)
            elif kind == "script_finished" and fm.script_finished != EARLY:
                return  # (a run that reruns itself, as a server's first visit does, goes on)

    def _read(self, element) -> None:
        which = element.WhichOneof("type")
        sub = getattr(element, which, None) if which else None
        if which == "exception":
            self.errors += 1
            self.exceptions.append(f"{sub.type}: {sub.message}")
        if getattr(sub, "id", ""):
            key = sub.id.split("-", 2)[-1]  # "$$ID-<hash>-<key>"
            self.ids[key] = sub.id
            self.elements[key] = (which, sub)
        if which in ("markdown", "alert"):
            self.texts.append(sub.body)

    def state(self, key: str, **value):
        """A widget state for the element keyed ``key``, e.g. ``string_value="Adam"``."""
        msg = BackMsg().rerun_script.widget_states.widgets.add()
        msg.id = self.ids[key]
        for name, v in value.items():
            setattr(msg, name, v)
        return msg

    def sliders(self) -> dict[str, tuple[str, list]]:
        """The page's sliders that a person can move: key -> (the widget state's field,
        every value the slider offers)."""
        found = {}
        for key, (which, element) in self.elements.items():
            if which != "slider" or element.disabled:
                continue
            if element.type == Slider.SELECT_SLIDER:
                found[key] = ("string_array_value", list(element.options))
            elif element.step > 0:
                count = int(round((element.max - element.min) / element.step))
                found[key] = ("double_array_value",
                              [element.min + i * element.step for i in range(count + 1)])
        return found

    def move(self, rng) -> str:
        """Move a random slider of the page to a random value it offers (kept, as a
        browser keeps it, for every later rerun); return its key."""
        key, (field, values) = rng.choice(sorted(self.sliders().items()))
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id = self.ids[key]
        getattr(state, field).data.append(rng.choice(values))
        self.states[key] = state
        return key


async def returning(session: Session) -> None:
    """Open the session's page as a learner whose predictions are made (their browser
    reports them, as ui/progress.py's component does), so every rerun draws all the page
    has."""
    from tests.apptest import all_predicted
    from ui.progress import KEY

    await session.run()
    stored = json.dumps({"stored": json.dumps(all_predicted())})
    session.states["progress"] = session.state(KEY, json_value=stored)
    await session.run()
