"""Replay of captured sites on 127.0.0.1, with misbehaviour on demand.

Gathering is tested, benchmarked and demonstrated against this server rather than the internet:
it is deterministic, offline, and can be told to be slow, broken or hostile on any path.
"""

from tribune.replay.misbehave import Behaviour
from tribune.replay.server import Concurrency, ReplayServer, Request

__all__ = ["Behaviour", "Concurrency", "ReplayServer", "Request"]
