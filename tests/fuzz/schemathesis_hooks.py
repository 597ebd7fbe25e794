"""Schemathesis hooks for the gateway fuzz run (loaded through `SCHEMATHESIS_HOOKS`).

The generator draws `Idempotency-Key` values from a small space ("0", "A", ...), so unrelated
schema-valid commands would share a key and be rightly refused as a reused key (422). A valid
generated key is replaced by a fresh one: each command stays valid and independent. An invalid
key is left as generated, so refusing it is still checked.
"""

import re
import uuid

import schemathesis

VALID = re.compile(r"^[ -~]{1,255}$")


@schemathesis.hook
def before_call(context, case, kwargs) -> None:
    """Give each generated command with a valid key a key of its own."""
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key" and VALID.match(str(headers[name])):
            headers[name] = str(uuid.uuid4())
