"""Fault tests that pour thousands of events into the topics the session's stack reads.

Each module here gets a Kafka broker, FerretDB and SMTP sink of its own: on the session's
infrastructure its floods would leave the stack's services hours of work (a fan-out to every
webhook endpoint earlier tests registered), and the tests after it would wait on that.
"""

from collections.abc import Iterator

import pytest

from tests.conftest import Infra, running_infra


@pytest.fixture(scope="module")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    """This module's own infrastructure, never the session's."""
    with running_infra(tmp_path_factory.mktemp("infra")) as own:
        yield own
