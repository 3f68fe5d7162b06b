"""The one error the knowledge base raises: a list of problems, each saying where it is."""

from __future__ import annotations

from collections.abc import Iterable


class KBError(Exception):
    """Invalid knowledge-base input: seed files that do not validate, or a refused edit.

    It carries every problem found rather than the first, so that whoever fixes the files sees all
    of them at once. Each problem names its place (``organizations.csv:12: ...``) where it has one.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems) or ["invalid knowledge base input"]
        super().__init__("\n".join(self.problems))
