"""Regenerate tests/data/golden from the corpus: run by hand, review the diff, commit.

python tests/regen_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from corpus import GOLDEN, corpus_cases

import syncml_codec as sc


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, data in corpus_cases():
        diags: list[sc.Diagnostic] = []
        rec: dict[str, Any] = {}
        try:
            obj = sc.parse_fragment(data, diagnostics=diags)
            rec["result"] = type(obj).__name__
            rec["diagnostics"] = [[d.code, d.line, d.column, d.xpath] for d in diags]
            try:
                (GOLDEN / f"{name}.fmt.xml").write_bytes(sc.serialize(obj, pretty=True) + b"\n")
            except sc.EncodeError as e:  # read tolerantly, but not a model that can be written
                rec["serialize_error"] = str(e)
        except sc.DecodeError as e:
            rec["result"] = "error"
            rec["error"] = [type(e).__name__, e.line, e.column, e.xpath]
        (GOLDEN / f"{name}.json").write_text(json.dumps(rec, indent=1) + "\n")
        print(name, rec["result"], len(rec.get("diagnostics", [])), rec.get("error"))


if __name__ == "__main__":
    main()
