"""What one feature of a service hands its composition root, and how routes reach its use cases.

A service is a list of features. Each feature package builds one `Feature`: its router, the
use-case objects its routes depend on, its event handlers and its scheduled jobs. The
composition root lists features; `create_service_app` wires them all the same way.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request

from .consumer import EventHandler
from .logging import correlation_id

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    """A scheduled job: run now, then every `interval_s` seconds, in a correlation of its own."""

    name: str
    interval_s: float
    run: Callable[[], Awaitable[object]]

    async def forever(self) -> None:
        """Run the job at its interval for the life of the service; a failed run is retried."""
        while True:
            token = correlation_id.set(f"job:{self.name}")
            try:
                log.info("%s job: %s", self.name, await self.run())
            except Exception:
                log.warning("%s job failed; will run again", self.name, exc_info=True)
            finally:
                correlation_id.reset(token)
            await asyncio.sleep(self.interval_s)


@dataclass
class Feature:
    """One feature of a service, as its composition root collects it."""

    name: str
    router: APIRouter | None = None
    services: list[object] = field(default_factory=list)
    """Use-case objects the feature's routes get with `provided(TheirClass)`."""
    handlers: Mapping[str, EventHandler] = field(default_factory=dict)
    """Event type to handler; one type's handlers in several features run in feature order."""
    jobs: list[Job] = field(default_factory=list)
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """What must run once before the service serves (e.g. seeding a catalogue)."""
    tasks: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """What runs for the life of the service once it started (e.g. a dispatcher)."""
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """What must finish when the service stops, once it consumes no more and before its
    tasks are cancelled (e.g. sending what is due)."""


def provided(kind: type[T]) -> Any:
    """The FastAPI dependency giving a route its feature's use-case object of a class.

    Dependencies here are `async` although they await nothing: FastAPI runs a plain `def`
    dependency in a worker thread, a hop per dependency on every request.
    """

    async def get(request: Request) -> T:
        return request.app.state.services[kind]

    return Depends(get)


def services_of(features: list[Feature]) -> dict[type, object]:
    """Every feature's use-case objects by class (a class provided twice is a wiring error)."""
    found: dict[type, object] = {}
    for feature in features:
        for service in feature.services:
            if type(service) in found:
                raise ValueError(f"{type(service).__name__} is provided twice")
            found[type(service)] = service
    return found
