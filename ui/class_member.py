"""Who this browser is in a live class: the teacher, a student, or neither.

A student arrives by the join link (``?join=CODE``, kept in the address while they are in
the class, so a reload or a server restart brings them back) or types the code. The
teacher starts the class in presenter mode; the teacher's secret never appears in the
address bar, which the projector shows to the room: it is kept in the session and in
the teacher's browser (localStorage), which gives it back after a reload or a server
restart. A teacher's link (``?teach=CODE.SECRET``, offered in the sidebar, never on the
projector) hands the class to another device, and leaves the address at once.

Every device has a random id its browser made up and keeps in localStorage, so a device
counts once however often it reloads or answers. A tiny ``st.components.v2`` component
reports it, and stores the teacher's secret.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from classroom.classes import LIFETIME, Classes, StoreError, normalize, open_classes, spaced
from explainers.app_controls import PRESENT
from explainers.lessons import PAGES
from explainers.safe_text import code_span
from ui.browser_js import WHEN_IDLE
from ui.url_sync import browser_reported

JOIN, TEACH = "join", "teach"  # the link's names for a class code and a teacher's link
MEMBER = "_class_member"  # the session's place in a class: a Member
SAVE = "_class_save"  # what the browser is to keep about the class taught (once)
SHOW_JOIN = "_class_show_join"  # the dialog with the QR code is open
PROBLEM = "_class_problem"  # why the teacher's last action failed (until the next one)
KEY = "class_device"  # the component's state
STORAGE_KEY = "adam-step-by-step/class"
DEFAULT_STORE = Path(__file__).resolve().parents[1] / ".classes" / "classes.sqlite3"

_JS = WHEN_IDLE + """
export default function(component) {
  const { data, setStateValue } = component;
  let stored = {};
  try { stored = JSON.parse(window.localStorage.getItem(data.storageKey) || "{}"); }
  catch (e) { stored = {}; }
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) stored = {};
  const teaching = data.save !== undefined && data.save !== null ? data.save : stored.teaching;
  const teaches = !!(teaching && teaching.code);
  if (!data.want && !teaches && !stored.teaching) return;  // no class here: nothing to say
  if (typeof stored.device !== "string" || !/^[0-9a-f]{32}$/.test(stored.device)) {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    stored.device = window.__adamDevice ||
      Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  window.__adamDevice = stored.device;  // the same id while the page lives, stored or not
  const text = JSON.stringify({ device: stored.device, teaching: teaches ? teaching : null });
  try { window.localStorage.setItem(data.storageKey, text); } catch (e) { /* kept above */ }
  if (text !== data.known) return whenIdle(() => setStateValue("stored", text));
}
"""
_component = st.components.v2.component("adam_class_device", js=_JS)


@dataclass(frozen=True)
class Member:
    code: str
    teacher: bool
    secret: str = ""


@st.cache_resource(show_spinner=False)
def classes() -> Classes:
    """The server's live classes, kept where ``CLASS_STORE`` says (see
    classroom.classes.open_classes): a SQLite file in ``.classes/`` by default."""
    return open_classes(os.environ.get("CLASS_STORE", ""), str(DEFAULT_STORE))


def store_problem(err: StoreError) -> None:
    st.error(f"The live class cannot be reached right now ({err}). Nothing you answered is "
             "lost; try again in a moment.")


def member() -> Member | None:
    return st.session_state.get(MEMBER)


def teaching() -> Member | None:
    """The class this session teaches, if any."""
    found = member()
    return found if found is not None and found.teacher else None


def _stored() -> dict:
    """What the browser keeps: ``{"device": id, "teaching": {"code", "secret"} | None}``."""
    try:
        stored = json.loads(st.session_state[KEY]["stored"])
    except (KeyError, TypeError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def device() -> str | None:
    """This browser's device id, once it has reported it."""
    found = _stored().get("device")
    return found if isinstance(found, str) and len(found) == 32 else None


def _browser(save: dict | None, want: bool) -> None:
    """Mount the component (invisible, in the sidebar). It reports what the browser keeps
    when the server ``want``s the device's id (a join link, a student) or when the
    browser keeps a class it teaches; ``save`` asks it to keep the class taught."""
    state = st.session_state.get(KEY)
    known = state.get("stored") if isinstance(state, dict) else None
    with st.sidebar:
        _component(key=KEY, data={"storageKey": STORAGE_KEY, "known": known, "save": save,
                                  "want": want},
                   default={"stored": None}, on_stored_change=browser_reported, height=0)


def start() -> None:
    """Start a class taught by this session (a button's callback)."""
    st.session_state[PROBLEM] = None
    try:
        code, secret = classes().start()
    except StoreError as err:
        st.session_state[PROBLEM] = str(err)
        return
    _teach(Member(code, True, secret))
    st.session_state[SHOW_JOIN] = True
    st.session_state[PRESENT.key] = True


def leave() -> None:
    """Leave the class (a button's callback): a student's device no longer counts as
    joined (its answers stay counted); a teacher ends the class for everyone."""
    found = member()
    st.session_state.pop(MEMBER, None)
    st.query_params.pop(JOIN, None)
    if found is not None and not found.teacher and device():
        try:
            classes().leave(found.code, device())
        except StoreError:
            pass  # the class is gone, or the store: nothing to count down
    if found is not None and found.teacher:
        st.session_state[SAVE] = {}  # the browser forgets the secret
        try:
            classes().end(found.code, found.secret)
        except (StoreError, PermissionError):
            pass  # ended or expired already


def join_url(code: str) -> str:
    """The link students join by: the address the teacher's browser used (so it works
    behind a proxy), or ``CLASS_JOIN_URL`` when set, at the app's root."""
    base = os.environ.get("CLASS_JOIN_URL") or st.context.url or "http://localhost:8501/"
    scheme, host, path, _, _ = urlsplit(base)
    parts = path.rstrip("/").split("/")
    if parts and parts[-1] in {page.url_path for page in PAGES if page.url_path}:
        parts = parts[:-1]
    return urlunsplit((scheme, host, "/".join(parts) + "/", f"{JOIN}={code}", ""))


def only_here(link: str) -> bool:
    """Whether ``link`` names this computer alone (localhost), which no student's device
    can open."""
    host = urlsplit(link).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def teacher_link(found: Member) -> str:
    return join_url(found.code).replace(f"{JOIN}=", f"{TEACH}=") + f".{found.secret}"


def attend() -> str | None:
    """Work out this session's place in a class from the link, the browser and the
    session; call once per run, from the frame. Returns a sentence for the reader when a
    link could not be used."""
    link_join, link_teach = st.query_params.get(JOIN), st.query_params.get(TEACH)
    found = member()
    _browser(st.session_state.pop(SAVE, None),
             want=bool(link_join) or (found is not None and not found.teacher))
    try:
        return _settle(found, link_join, link_teach)
    except StoreError as err:
        return f"The live class cannot be reached right now ({err})."


def _settle(found: Member | None, link_join, link_teach) -> str | None:
    if link_teach:
        code, _, secret = str(link_teach).partition(".")
        st.query_params.pop(TEACH, None)
        if not classes().teaches(code, secret):
            return ("That teacher's link is for a class that has ended or never was: start a "
                    "new class from *Live class* in the sidebar.")
        _teach(Member(normalize(code), True, secret))
        return None
    if link_join and (found is None or found.code != normalize(link_join)):
        return _join(str(link_join))
    if found is None:  # a reload, or a server restart: a teacher's browser gives it back
        kept = _stored().get("teaching")
        if isinstance(kept, dict) and classes().teaches(str(kept.get("code", "")),
                                                        str(kept.get("secret", ""))):
            st.session_state[MEMBER] = Member(kept["code"], True, kept["secret"])
    elif found.teacher and not classes().teaches(found.code, found.secret):
        st.session_state.pop(MEMBER)  # ended (on another screen) or expired
        st.session_state[SAVE] = {}
    elif not found.teacher:
        st.query_params[JOIN] = found.code  # a page switch drops the query string
    return None


def _teach(found: Member) -> None:
    """This session teaches ``found``'s class, and its browser keeps the secret."""
    st.session_state[MEMBER] = found
    st.session_state[SAVE] = {"code": found.code, "secret": found.secret}


def _join(text: str) -> str | None:
    code = normalize(text)
    if not code:
        st.query_params.pop(JOIN, None)
        return (f"{code_span(text[:20])} is not a class code: a code has 8 letters and digits "
                "(never I, O, 0 or 1), like ABCD-2345. Check it with your teacher.")
    if device() is None:
        return None  # the browser has not said which device it is yet: the next run joins
    if classes().join(code, device()) is None:
        st.query_params.pop(JOIN, None)
        return (f"No live class has the code {spaced(code)}: it has ended (a class ends when "
                f"the teacher ends it, or {LIFETIME // 3600} hours after it starts), or the code "
                "is mistyped. Check it with your teacher.")
    st.session_state[MEMBER] = Member(code, False)
    return None


def joining() -> bool:
    """Whether this session follows a join link but its browser has not reported yet."""
    return member() is None and bool(normalize(st.query_params.get(JOIN, ""))) \
        and device() is None
