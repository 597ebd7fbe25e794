"""Run several processes in the foreground, interleaving their output under their names."""

import asyncio
import contextlib
import os
import signal
import time

import httpx
from rich.console import Console
from rich.text import Text

COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")


async def _pump(name: str, colour: str, stream: asyncio.StreamReader, console: Console) -> None:
    width = 14
    while line := await stream.readline():
        text = line.decode(errors="replace").rstrip()
        console.print(Text.assemble((f"{name:<{width}}| ", colour), text), soft_wrap=True)


async def announce_ready(ready: dict[str, str], since: float, console: Console) -> None:
    """Print, once every `/ready` answers 200, how long the stack took to start."""
    pending = dict(ready)
    async with httpx.AsyncClient(timeout=2) as http:
        while pending:
            for name, url in list(pending.items()):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(url)).status_code == 200:
                        del pending[name]
            if pending:
                await asyncio.sleep(0.25)
    elapsed = time.monotonic() - since
    console.print(f"[bold green]every service ready in {elapsed:.1f} s[/] ({len(ready)} services)")


async def run_foreground(
    commands: dict[str, tuple[list[str], dict[str, str]]],
    ready: dict[str, str] | None = None,
    since: float | None = None,
) -> int:
    """Start every command, stream their logs, and stop them all on Ctrl-C or when one dies.

    With `ready` (a `/ready` address per service), say how long it took, from `since`, until
    every one answered.
    """
    console = Console()
    processes: dict[str, asyncio.subprocess.Process] = {}
    pumps = []
    for index, (name, (command, env)) in enumerate(commands.items()):
        process = await asyncio.create_subprocess_exec(
            *command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )
        processes[name] = process
        assert process.stdout is not None
        pumps.append(asyncio.create_task(_pump(name, COLOURS[index % 8], process.stdout, console)))

    watcher = None
    if ready:
        start = since if since is not None else time.monotonic()
        watcher = asyncio.create_task(announce_ready(ready, start, console))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    waits = {asyncio.create_task(p.wait()): n for n, p in processes.items()}
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([*waits, stopper], return_when=asyncio.FIRST_COMPLETED)
    exit_code = 0
    for task in done:
        if task in waits:
            console.print(f"[red]{waits[task]} exited with {task.result()}; stopping all[/]")
            exit_code = 1
    for process in processes.values():
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes.values())), 20)
    for process in processes.values():
        if process.returncode is None:
            process.kill()
    await asyncio.gather(*pumps, return_exceptions=True)
    stopper.cancel()
    if watcher is not None:
        watcher.cancel()
    return exit_code
