"""The official OCDS 1.1.5 release package schema, extended with lots and bids, from vendored data.

Built as OCDS tools build an extended schema: each extension's `release-schema.json` applied to
the release schema as a JSON Merge Patch (RFC 7386). Nothing is fetched at run time; the
sources are in `tests/data/ocds/1__1__5/SOURCE.md`.
"""

import json
from pathlib import Path

import json_merge_patch
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

DATA = Path(__file__).parent / "data" / "ocds"
EXTENSIONS = ("ocds_lots_extension", "ocds_bid_extension")


def ocds_validator() -> jsonschema.Draft4Validator:
    """A validator of release packages against the extended 1.1.5 schema."""
    package = json.loads((DATA / "1__1__5" / "release-package-schema.json").read_text())
    release = json.loads((DATA / "1__1__5" / "release-schema.json").read_text())
    for extension in EXTENSIONS:
        patch = json.loads((DATA / extension / "release-schema.json").read_text())
        release = json_merge_patch.merge(release, patch)
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(
        package, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
