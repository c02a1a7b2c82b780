"""The rule families that live beside their feature: authentication, packing, CSP definitions.

Each feature module owns its one-message checks (``syncml_codec.auth.check_message``,
``syncml_codec.packing.check_message``, ``syncml_codec.csp.check_csp``) and its rule rows
(``AUTH_RULES``, ``PACKING_RULES``, ``CSP_RULES``, registered in ``rules.RULES``). Here they
become ``RuleChecker`` functions for ``core.EXTRA_CHECKERS``, so their findings get severities
per profile, positions and ``select``/``ignore`` like every other rule's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from syncml_codec import model
from syncml_codec.auth import check_message as check_auth
from syncml_codec.csp import check_csp
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.packing import check_message as check_packing

from .context import CheckContext

__all__ = ["auth_findings", "csp_findings", "packing_findings"]


def _triples(found: Iterable[Diagnostic]) -> Iterator[tuple[str, str, str]]:
    return ((d.code, d.message, d.xpath) for d in found)


def auth_findings(ctx: CheckContext) -> Iterator[tuple[str, str, str]]:
    """DM260-DM269 on a whole message (credentials and challenges live in SyncHdr/Status)."""
    if isinstance(ctx.obj, model.SyncML):
        yield from _triples(check_auth(ctx.obj, profile=ctx.profile))


def packing_findings(ctx: CheckContext) -> Iterator[tuple[str, str, str]]:
    """DM270-DM275 on a whole message: MoreData, Size, and the peer's MaxMsgSize/MaxObjSize."""
    if isinstance(ctx.obj, model.SyncML):
        yield from _triples(check_packing(ctx.obj, request=ctx.request, size=ctx.size))


def csp_findings(ctx: CheckContext) -> Iterator[tuple[str, str, str]]:
    """C301-C308 when ``validate(csp=...)`` asked for the device's CSP definitions."""
    if ctx.csp is None:
        return
    if ctx.commands is None:
        yield from _triples(check_csp(ctx.obj, ctx.csp, os_build=ctx.os_build))
        return
    # a snippet file's commands: their paths start at the file's top level, under root_path
    for d in check_csp(ctx.commands, ctx.csp, os_build=ctx.os_build):
        yield d.code, d.message, ctx.root_path + d.xpath if d.xpath else d.xpath
