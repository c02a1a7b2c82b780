"""One-message validator rules for multiple messages and large objects (DM270-DM275).

``check_message`` looks at one parsed message (and, with ``request=``, the peer's message it
answers, whose SyncHdr Meta announced MaxMsgSize and MaxObjSize) and returns diagnostics;
``PACKING_RULES`` are their entries in ``syncml_codec.RULES``, and ``validate`` runs the check.
Citations: OMA-TS-DM_Protocol-V1_2_1, §2.1 "Multiple Messages In Package" and §2.2 "Large
Object Handling".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from syncml_codec._paths import format_path
from syncml_codec.diagnostics import Diagnostic, Rule
from syncml_codec.model import Atomic, Command, Item, Meta, SyncML
from syncml_codec.model import Sequence as SequenceCmd
from syncml_codec.serialize import serialize

from ._pack import data_size, parse_size

__all__ = ["PACKING_RULES", "check_message"]


_E: Final = "error"
_W: Final = "warning"

_PRO: Final = "OMA-TS-DM_Protocol"

PACKING_RULES: Final[tuple[Rule, ...]] = (
    Rule("DM270", 2, _E, _E, "no MoreData on an Item whose whole Data fits", f"{_PRO} 2.2"),
    Rule("DM271", 2, _W, _W, "Size only in the first chunk of a large object", f"{_PRO} 2.2"),
    Rule("DM272", 2, _E, _E, "no MoreData in a message with Final", f"{_PRO} 2.1.2, 2.2"),
    Rule("DM273", 2, _E, _E, "nothing after a chunk with MoreData", f"{_PRO} 2.2"),
    Rule("DM274", 2, _E, _E, "a message within the MaxMsgSize its peer announced",
         "OMA-TS-DM_Protocol 2.1; [MS-MDM] 2.2.5.3"),
    Rule("DM275", 2, _E, _E, "no object larger than the MaxObjSize its peer announced",
         "OMA-TS-DM_Protocol 2.2"),
)  # fmt: skip

_Step = tuple[str, int]


def _walk(
    commands: tuple[Command, ...], parent: list[_Step]
) -> Iterator[tuple[Command, list[_Step]]]:
    """Every command (containers, then their members) with its path steps."""
    seen: dict[str, int] = {}
    for command in commands:
        name = command.XML_NAME
        seen[name] = seen.get(name, 0) + 1
        steps = [*parent, (name, seen[name])]
        yield command, steps
        if isinstance(command, (Atomic, SequenceCmd)):
            yield from _walk(command.commands, steps)


def _meta_value(meta: Meta | None, name: str) -> int | None:
    return parse_size(getattr(meta, name, None) if meta is not None else None)


def _item_size(command: Command, item: Item) -> int | None:
    """Meta/Size of an Item (its own Meta over its command's)."""
    size = _meta_value(item.meta, "size")
    return size if size is not None else _meta_value(getattr(command, "meta", None), "size")


def check_message(
    message: SyncML, *, request: SyncML | None = None, size: int | None = None
) -> list[Diagnostic]:
    """Check the multiple-message and large-object rules one message can show.

    Args:
        message: the parsed message.
        request: the peer's message this one answers; its SyncHdr Meta MaxMsgSize and
            MaxObjSize bind this message (DM274, DM275, and DM270's "would have fitted").
        size: the message's size on the wire in bytes; None: its XML serialization.

    Returns:
        Diagnostics with codes DM270-DM275 (see ``PACKING_RULES``), in document order.
    """
    peer = request.sync_hdr.meta if request is not None else None
    max_msg, max_obj = _meta_value(peer, "max_msg_size"), _meta_value(peer, "max_obj_size")
    if size is None and max_msg is not None:
        size = len(serialize(message))
    diags: list[Diagnostic] = []
    root: list[_Step] = [("SyncML", 1), ("SyncBody", 1)]
    body = message.sync_body
    chunk_at: str | None = None  # path of the MoreData chunk seen last in this message
    for command, steps in _walk(body.commands, root):
        items: tuple[Item, ...] = getattr(command, "items", ())
        for j, item in enumerate(items, 1):
            path = _ItemPath(steps, j)  # (formatted only for a finding: 100,000s of Items)
            if chunk_at is not None:
                diags.append(
                    Diagnostic(
                        "error",
                        "DM273",
                        f"an Item follows the chunk with MoreData at {chunk_at}; DM Protocol 2.2:"
                        " new commands or Items MUST NOT be placed between chunks",
                        xpath=str(path),
                    )
                )
                chunk_at = None
            diags.extend(_check_item(command, item, path, size, max_msg, max_obj))
            if item.more_data:
                chunk_at = str(path)
                if body.final:
                    diags.append(
                        Diagnostic(
                            "error",
                            "DM272",
                            "MoreData in a message with Final: the package ends before the"
                            " object's last chunk (OMA-TS-DM_Protocol 2.1.2: Final only on the last"
                            " message)",
                            xpath=f"{path}/MoreData",
                        )
                    )
    if max_msg is not None and size is not None and size > max_msg:
        diags.append(
            Diagnostic(
                "error",
                "DM274",
                f"the message is {size} bytes; the peer announced MaxMsgSize {max_msg}",
                xpath="/SyncML",
            )
        )
    return diags


class _ItemPath:
    """An Item's path, formatted when a finding needs it (``str``)."""

    __slots__ = ("_j", "_steps")

    def __init__(self, steps: list[_Step], j: int) -> None:
        self._steps, self._j = steps, j

    def __str__(self) -> str:
        return format_path([*self._steps, ("Item", self._j)])


def _check_item(
    command: Command,
    item: Item,
    path: _ItemPath,
    message_size: int | None,
    max_msg: int | None,
    max_obj: int | None,
) -> Iterator[Diagnostic]:
    announced = _item_size(command, item)
    got = data_size(item.data) if item.data is not None else 0
    total = announced if announced is not None else (None if item.more_data else got)
    if max_obj is not None and total is not None and total > max_obj:
        yield Diagnostic(
            "error",
            "DM275",
            f"an object of {total} bytes; the peer announced MaxObjSize {max_obj}",
            xpath=f"{path}/Data",
        )
    if item.more_data and announced is not None:
        whole = got >= announced
        if not whole and max_msg is not None and message_size is not None:
            whole = message_size + (announced - got) <= max_msg
        if whole:
            yield Diagnostic(
                "error",
                "DM270",
                f"MoreData on an object of Size {announced} that fits in this message"
                f" ({got} bytes of it are here); DM Protocol 2.2: data objects that fit within"
                " a single message MUST NOT be followed by <MoreData/>",
                xpath=f"{path}/MoreData",
            )
    if not item.more_data and item.meta is not None and announced is not None and got < announced:
        yield Diagnostic(
            "warning",
            "DM271",
            f"Size {announced} on an Item carrying {got} bytes without MoreData: a last chunk"
            " repeating Size (DM Protocol 2.2: Size MUST only be specified in the first chunk),"
            " or a Size that does not match its Data",
            xpath=f"{path}/Meta/Size",
        )
