"""Access to the bundled XSD files (STYLE.md B.2).

In a wheel the schemas live in ``syncml_codec/schemas`` (hatchling force-include). In a source
checkout, and with an editable install, the package is imported from the checkout, where that
directory does not exist; the schemas are then in ``<checkout>/schemas``.
"""

from __future__ import annotations

from importlib.resources import files
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
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "schemas"
    if checkout.is_dir():
        return checkout
    raise SchemaNotFound(
        f"bundled schemas not found: neither {packaged} (installed package) nor {checkout} "
        "(source checkout) is a directory; reinstall syncml-codec"
    )


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
