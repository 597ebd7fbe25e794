"""The event contracts can be depended on alone: importing them loads no framework or driver."""

import subprocess
import sys

FRAMEWORKS = ("fastapi", "faststream", "pymongo", "aiokafka", "starlette", "cmo_shared")


def test_importing_every_contract_loads_only_pydantic() -> None:
    probe = (
        "import sys, cmo_contracts\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({FRAMEWORKS!r}))\n"
        "print(','.join(loaded))\n"
        "print(len(cmo_contracts.REGISTRY))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    loaded, registered = result.stdout.splitlines()
    assert loaded == ""
    assert int(registered) > 20, "every producer's module is registered on import"
