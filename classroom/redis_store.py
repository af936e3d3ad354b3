"""A class store in Redis, for the app running as several replicas (deploy/): every
replica sees the same classes, so a student whose replica dies carries on on another.

Keys, all under ``adam:class:<code>`` and all expiring when the class does (Redis
deletes them itself):  ``...`` the record (a string), ``...:devices`` the joined
devices (a set), ``...:answers:<round>`` a round's answers (a hash, device -> answer).
"""
from __future__ import annotations

import math
from contextlib import contextmanager

import redis

from classroom.classes import StoreError


class RedisStore:
    """classroom.classes.Store in the Redis database at ``url`` (redis://host:port/db)."""

    def __init__(self, url: str):
        self.url = url
        self._redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                           socket_connect_timeout=5)

    @contextmanager
    def _redis_call(self):
        try:
            yield self._redis
        except redis.RedisError as err:
            raise StoreError(f"the class store at {self.url} failed: {err}") from err

    @staticmethod
    def _key(code: str, *parts: str) -> str:
        return ":".join(("adam:class", code, *parts))

    def add_class(self, code, record, expires, now):
        with self._redis_call() as r:
            return bool(r.set(self._key(code), record, nx=True, exat=math.ceil(expires)))

    def get_class(self, code, now):
        with self._redis_call() as r:
            return r.get(self._key(code))

    def set_class(self, code, record):
        with self._redis_call() as r:
            r.set(self._key(code), record, xx=True, keepttl=True)

    def add_device(self, code, device, expires):
        key = self._key(code, "devices")
        with self._redis_call() as r:
            r.pipeline().sadd(key, device).expireat(key, math.ceil(expires)).execute()

    def remove_device(self, code, device):
        with self._redis_call() as r:
            r.srem(self._key(code, "devices"), device)

    def devices(self, code):
        with self._redis_call() as r:
            return r.scard(self._key(code, "devices"))

    def put_answer(self, code, round_key, device, value, expires):
        key = self._key(code, "answers", round_key)
        with self._redis_call() as r:
            r.pipeline().hset(key, device, value).expireat(key, math.ceil(expires)).execute()

    def answer_of(self, code, round_key, device):
        with self._redis_call() as r:
            return r.hget(self._key(code, "answers", round_key), device)

    def answers(self, code, round_key):
        with self._redis_call() as r:
            found = r.hgetall(self._key(code, "answers", round_key))
        return [found[device] for device in sorted(found)]

    def close(self) -> None:
        self._redis.close()
