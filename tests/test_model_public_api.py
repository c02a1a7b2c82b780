"""The top-level public surface: exactly these names, each documented; helpers live apart.

A name added to or dropped from ``syncml_codec.__all__`` must be added or dropped here too, on
purpose. The OMA DM / Windows MDM recipes are documented under ``syncml_codec.helpers`` only;
their old top-level names still import (same objects, no warning) for this release.
"""

from __future__ import annotations

import importlib
import inspect
import warnings

import syncml_codec
import syncml_codec.helpers

TOP_LEVEL = {
    "CommandsResult",
    "SourceLike",
    "parse_commands",
    "parse_commands_with_diagnostics",
    # model
    "Add", "Alert", "Anchor", "Atomic", "CData", "Chal", "Command", "Copy", "Cred", "Delete",
    "Exec", "Get", "Item", "Mem", "Meta", "ModelObject", "Replace", "Results", "Sequence",
    "Source", "SourceParent", "Status", "SyncBody", "SyncHdr", "SyncML", "Target",
    "TargetParent", "XmlData",
    # codes, limits, errors
    "AlertCode", "CommandName", "StatusCode", "DEFAULT_LIMITS", "Limits", "DecodeError",
    "EncodeError", "ForbiddenConstruct", "LimitExceeded", "MalformedXML", "Position",
    "SchemaInvalid", "SchemaNotFound", "SyncMLError", "UnknownElement",
    # reading
    "ParseResult", "parse", "parse_fragment", "parse_tree", "parse_with_diagnostics",
    "CommandEnd", "CommandInfo", "CommandStart", "End", "Event", "Header", "ItemEvent",
    "ItemStream", "StreamParser", "iter_items", "iterparse",
    # writing
    "OutputFormat", "serialize", "to_string",
    # validation
    "JSON_VERSION", "PROFILES", "RULES", "Diagnostic", "Profile", "Rule", "Severity",
    "render_github", "render_json", "render_text", "validate", "validate_or_raise",
    "__version__",
}  # fmt: skip


def test_top_level_all_is_exactly_the_public_surface() -> None:
    assert set(syncml_codec.__all__) == TOP_LEVEL
    assert len(syncml_codec.__all__) == len(TOP_LEVEL)  # no duplicates
    for name in syncml_codec.__all__:
        assert hasattr(syncml_codec, name), name


def test_helpers_are_not_in_the_top_level_all() -> None:
    assert not set(syncml_codec.helpers.__all__) & set(syncml_codec.__all__)


def test_old_top_level_helper_names_still_import_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module = importlib.import_module("syncml_codec")
        for name in syncml_codec.helpers.__all__:
            assert getattr(module, name) is getattr(syncml_codec.helpers, name), name


def test_every_public_function_and_class_has_a_docstring() -> None:
    """(Type aliases such as ``Command`` and ``OutputFormat`` are documented by ``#:``.)"""
    for name in syncml_codec.__all__:
        value = getattr(syncml_codec, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert (inspect.getdoc(value) or "").strip(), name
