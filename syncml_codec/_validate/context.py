"""What a rule checker sees (``CheckContext``) and its shape (``RuleChecker``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

from syncml_codec import model
from syncml_codec.csp import Catalogue

from .rules import Profile

__all__ = ["CheckContext", "RuleChecker"]


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a rule checker sees: the parsed message or fragment and the run's options.

    Attributes:
        obj: the parsed ``SyncML`` message, or the fragment's root object (a command, Item...).
        root_path: the element path of ``obj`` (``/SyncML``, ``/Replace``...).
        profile: the validation profile.
        request: the parsed request this message answers, or None.
        size: the input's length in bytes (for the peer's MaxMsgSize), or None.
        csp: the CSP catalogue to check LocURIs, commands and values against, or None.
        os_build: the Windows build the CSP applicability rule (C308) compares with.
        commands: for a profile snippet file (top-level commands, no SyncML root), its
            commands; None otherwise.
    """

    obj: Any
    root_path: str
    profile: Profile
    request: model.SyncML | None
    size: int | None = None
    csp: Catalogue | None = None
    os_build: str | None = None
    commands: tuple[Any, ...] | None = None


#: A rule checker: yields (rule code, message, element path) findings. Codes must be rows of
#: ``RULES`` (their severity per profile comes from there; an unknown code is a KeyError).
RuleChecker: TypeAlias = Callable[[CheckContext], Iterable[tuple[str, str, str]]]
