"""The live class's rules and its two stores: the same contract on a SQLite file and on a
real redis-server (started here; Debian's package, installed by scripts/test.sh)."""
import time

import pytest

from classroom.classes import (
    ALPHABET,
    CLOSED,
    LIFETIME,
    OPEN,
    REVEALED,
    Classes,
    StoreError,
    normalize,
    open_classes,
    spaced,
)
from classroom.redis_store import RedisStore
from classroom.sqlite_store import SQLiteStore
from tests.services import redis_server


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


class Clock:
    """Real time, shifted by ``behind`` seconds into the past."""

    def __init__(self):
        self.behind = 0.0

    def __call__(self):
        return time.time() - self.behind


@pytest.fixture(params=["sqlite", "redis"])
def classes(request, tmp_path):
    clock = Clock()
    if request.param == "sqlite":
        return Classes(SQLiteStore(str(tmp_path / "classes.sqlite3")), clock)
    url = request.getfixturevalue("redis_url")
    store = RedisStore(url)
    store._redis.flushdb()
    return Classes(store, clock)


def test_a_started_class_has_a_code_from_the_alphabet_and_only_its_secret_teaches(classes):
    code, secret = classes.start()
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert classes.teaches(code, secret)
    assert not classes.teaches(code, secret + "x")
    assert not classes.teaches(code, "")
    other, _ = classes.start()
    assert other != code and not classes.teaches(other, secret)


def test_codes_are_typed_loosely_and_read_aloud_in_halves():
    assert normalize("abcd-2345") == "ABCD2345"
    assert normalize(" ab cd 23 45 ") == "ABCD2345"
    assert normalize("ABCD234") == "" and normalize("ABCD23450") == ""
    assert normalize("ABCD2340") == ""  # 0 is not in the alphabet (it reads as O)
    assert normalize("<script>") == ""
    assert spaced("ABCD2345") == "ABCD-2345"


def test_joining_counts_each_device_once(classes):
    code, _ = classes.start()
    for device in ("a", "b", "a", "a", "c"):
        assert classes.join(code.lower(), device).code == code
    assert classes.find(code).joined == 3
    classes.leave(code, "b")
    classes.leave(code, "b")
    assert classes.find(code).joined == 2


def test_a_wrong_code_finds_no_class(classes):
    code, _ = classes.start()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert classes.find(wrong) is None
    assert classes.join(wrong, "a") is None
    assert classes.join("not a code", "a") is None
    assert classes.answer(wrong, "a", "1.1", "x") is False


def test_a_round_takes_one_answer_per_device_the_last_one(classes):
    code, secret = classes.start()
    classes.join(code, "a")
    classes.join(code, "b")
    poll = classes.ask(code, secret, "foggy_hiker/reach", "Where does Adam end?", "f1")
    assert (poll.number, poll.round, poll.status) == (1, 1, OPEN)
    assert classes.find(code).poll == poll
    for _ in range(50):  # a flood from one device counts once
        assert classes.answer(code, "a", poll.round_key(), "left")
    assert classes.answer(code, "a", poll.round_key(), "right")  # a change of mind
    assert classes.answer(code, "b", poll.round_key(), [0.5, -1.25])
    assert sorted(map(str, classes.answers(code, poll.round_key()))) == ["[0.5, -1.25]", "right"]
    assert classes.answer_of(code, "a", poll.round_key()) == "right"
    assert classes.answer_of(code, "c", poll.round_key()) is None


def test_answers_are_taken_only_for_the_open_round(classes):
    code, secret = classes.start()
    poll = classes.ask(code, secret, "q/1", "?", "f1", {"answer": 2.0, "truth": "2"})
    assert not classes.answer(code, "a", "1.2", 1.0)  # not the current round
    assert classes.close(code, secret).status == CLOSED
    assert not classes.answer(code, "a", poll.round_key(), 1.0)
    second = classes.again(code, secret)
    assert (second.round, second.status, second.round_key()) == (2, OPEN, "1.2")
    assert classes.answer(code, "a", "1.2", 2.0)
    assert not classes.answer(code, "a", "1.1", 1.0)
    assert classes.answers(code, "1.1") == [] and classes.answers(code, "1.2") == [2.0]
    assert classes.find(code).poll.reveal is None  # the answer waits for the reveal
    revealed = classes.reveal(code, secret)
    assert (revealed.status, revealed.reveal["answer"]) == (REVEALED, 2.0)
    assert not classes.answer(code, "a", "1.2", 3.0)
    assert classes.answers(code, "1.2") == [2.0]
    following = classes.ask(code, secret, "q/2", "?")
    assert (following.number, following.round, following.reveal) == (2, 1, None)


def test_only_the_teacher_asks_closes_reveals_or_opens_a_round(classes):
    code, secret = classes.start()
    for act in (lambda s: classes.ask(code, s, "q/1", "?"), lambda s: classes.close(code, s),
                lambda s: classes.again(code, s), lambda s: classes.reveal(code, s)):
        with pytest.raises(PermissionError):
            act("guess")
    assert classes.find(code).poll is None
    with pytest.raises(ValueError):
        classes.close(code, secret)  # nothing asked yet


def test_an_ended_class_takes_nothing_more(classes):
    code, secret = classes.start()
    classes.join(code, "a")
    poll = classes.ask(code, secret, "q/1", "?")
    with pytest.raises(PermissionError):
        classes.end(code, "guess")
    classes.end(code, secret)
    assert classes.find(code) is None and classes.join(code, "b") is None
    assert not classes.teaches(code, secret)
    assert not classes.answer(code, "a", poll.round_key(), 1.0)


def test_a_class_expires_with_everything_in_it(classes):
    classes.clock.behind = LIFETIME - 1  # the class started almost LIFETIME ago
    code, secret = classes.start()
    classes.join(code, "a")
    poll = classes.ask(code, secret, "q/1", "?")
    assert classes.answer(code, "a", poll.round_key(), 1.0)
    time.sleep(2.2)
    classes.clock.behind = 0.0
    assert classes.find(code) is None
    assert not classes.teaches(code, secret)
    assert not classes.answer(code, "a", poll.round_key(), 1.0)
    classes.start()  # SQLite forgets expired classes here; Redis expired the keys itself
    assert classes.answers(code, poll.round_key()) == []
    assert classes.store.devices(code) == 0


def test_the_sqlite_file_keeps_every_answer_across_a_restart(tmp_path):
    path = str(tmp_path / "classes.sqlite3")
    store = SQLiteStore(path)
    classes = Classes(store)
    code, secret = classes.start()
    poll = classes.ask(code, secret, "q/1", "?")
    for device in "abc":
        classes.join(code, device)
        classes.answer(code, device, poll.round_key(), device)
    store.close()  # the server stops
    again = Classes(SQLiteStore(path))
    assert again.teaches(code, secret)
    assert again.find(code).joined == 3
    assert sorted(again.answers(code, poll.round_key())) == ["a", "b", "c"]


def test_the_setting_chooses_the_store(tmp_path, redis_url):
    assert isinstance(open_classes("", str(tmp_path / "a.db")).store, SQLiteStore)
    chosen = open_classes(f"sqlite://{tmp_path}/b.db", "unused").store
    assert isinstance(chosen, SQLiteStore) and chosen.path == f"{tmp_path}/b.db"
    assert isinstance(open_classes(redis_url, "unused").store, RedisStore)


def test_a_store_that_cannot_be_reached_says_so(tmp_path):
    dead = Classes(RedisStore("redis://127.0.0.1:1/0"))
    with pytest.raises(StoreError, match="redis://127.0.0.1:1/0"):
        dead.find("ABCD2345")
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match="cannot be opened"):
        SQLiteStore(str(tmp_path / "file" / "classes.sqlite3"))
