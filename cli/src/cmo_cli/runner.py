"""Run several processes in the foreground, interleaving their output under their names."""

import asyncio
import contextlib
import os
import signal

from rich.console import Console
from rich.text import Text

COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")


async def _pump(name: str, colour: str, stream: asyncio.StreamReader, console: Console) -> None:
    width = 14
    while line := await stream.readline():
        text = line.decode(errors="replace").rstrip()
        console.print(Text.assemble((f"{name:<{width}}| ", colour), text), soft_wrap=True)


async def run_foreground(commands: dict[str, tuple[list[str], dict[str, str]]]) -> int:
    """Start every command, stream their logs, and stop them all on Ctrl-C or when one dies."""
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
    return exit_code
