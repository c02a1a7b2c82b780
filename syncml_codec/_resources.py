"""Access to the bundled schema files (XSDs, the report JSON Schema), installed or zipped.

In a wheel the schemas live in ``syncml_codec/schemas`` (hatchling force-include). In a source
checkout, and with an editable install, the package is imported from the checkout, where that
directory does not exist; the schemas are then in ``<checkout>/schemas``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import SyncMLError

__all__ = ["SchemaNotFound", "schema_path", "schema_root"]


class SchemaNotFound(SyncMLError):
    """The bundled schemas (or one schema file) cannot be found: a broken installation."""


def schema_root() -> Path:
    """Return the directory that holds the bundled ``*.xsd`` files.

    Returns:
        ``syncml_codec/schemas`` inside the installed package when it is a directory, else the
        ``schemas`` directory of a source checkout.

    Raises:
        SchemaNotFound: neither directory exists.
    """
    packaged = files("syncml_codec") / "schemas"
    if packaged.is_dir():
        on_disk = Path(str(packaged))
        return on_disk if on_disk.is_dir() else _extracted(packaged)
    checkout = Path(__file__).resolve().parent.parent / "schemas"
    if checkout.is_dir():
        return checkout
    raise SchemaNotFound(
        f"bundled schemas not found: neither {packaged} (installed package) nor {checkout} "
        "(source checkout) is a directory; reinstall syncml-codec"
    )


_EXTRACTED: dict[str, Path] = {}


def _extracted(packaged: Traversable) -> Path:
    """A private on-disk copy of schemas that live in a zip (a zipapp, a zip import).

    xmlschema resolves ``xs:import`` between the XSDs by file location, so they must sit
    side by side in one real directory; the copy is made once per process.
    """
    key = str(packaged)
    if key not in _EXTRACTED:
        target = Path(tempfile.mkdtemp(prefix="syncml-codec-schemas-"))
        atexit.register(shutil.rmtree, target, ignore_errors=True)
        for entry in packaged.iterdir():
            if entry.is_file():
                (target / entry.name).write_bytes(entry.read_bytes())
        _EXTRACTED[key] = target
    return _EXTRACTED[key]


def schema_path(name: str) -> Path:
    """Return the path of one bundled schema file, such as ``"syncml12.xsd"``.

    Args:
        name: the file name, without any directory part.

    Raises:
        SchemaNotFound: the name has a directory part, or the file does not exist.
    """
    if Path(name).name != name:
        raise SchemaNotFound(f"schema name must be a bare file name, got {name!r}")
    path = schema_root() / name
    if not path.is_file():
        raise SchemaNotFound(f"bundled schema {name!r} not found in {path.parent}")
    return path
