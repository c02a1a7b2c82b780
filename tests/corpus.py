"""The corpus as test cases: every XML file, and every <SyncML> message inside the peers' logs."""

from __future__ import annotations

import re
from pathlib import Path

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
GOLDEN = DATA / "golden"

_SPAN = re.compile(rb"<SyncML[\s>].*?</SyncML>", re.S)


def corpus_cases() -> list[tuple[str, bytes]]:
    """(name, bytes) for every corpus message, sorted by name; logs are split into messages."""
    cases: list[tuple[str, bytes]] = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix == ".xml":
            cases.append((path.stem, path.read_bytes()))
        elif path.suffix == ".txt":
            for i, match in enumerate(_SPAN.finditer(path.read_bytes())):
                cases.append((f"{path.stem}-{i + 1}", match.group()))
    return cases


def seed_samples() -> list[str]:
    """The two sample messages of the seed page, exactly as published (not well-formed)."""
    text = (DATA / "seed" / "unenrollment-ja.txt").read_text("utf-8")
    first = text[text.index("<SyncML") : text.index("</SyncML>") + len("</SyncML>")]
    rest = text[text.index("</SyncML>") :]
    second = rest[rest.index("<Alert>") : rest.index("</Alert>") + len("</Alert>")]
    return [first, second]


def repaired_seed() -> tuple[str, str]:
    """The seed samples repaired to well-formed XML: the `&#39;` quotes become real quotes.

    Everything else (syncml:metinfo, the leading space in Type, the duplicate CmdID 2, the
    `...` placeholder text in an Item) is left as published, for the tolerant parser to report.
    """
    first, second = seed_samples()
    return first.replace("&#39;", "'"), second
