"""The `cmo` command: local infrastructure, the whole stack, and the tests."""

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Annotated

import typer
from cmo_shared.services import BY_NAME
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

from . import api_docs, benchmarks, dlq, trace
from .config import CliSettings
from .infra.process import PortTaken, ProcessExited, ensure_free, wait_until
from .infra.provision import ProvisionError, chromium, provision
from .runner import run_foreground
from .stack import (
    Infra,
    existing_services,
    service_command,
    service_environment,
    smtp_sink_command,
    smtp_sink_daemon,
)

app = typer.Typer(help="Run the CMO platform locally.", no_args_is_help=True)
infra_app = typer.Typer(help="Local Kafka, FerretDB and SMTP sink.", no_args_is_help=True)
app.add_typer(infra_app, name="infra")
notifications_app = typer.Typer(help="Operate the notifications service.", no_args_is_help=True)
app.add_typer(notifications_app, name="notifications")
users_app = typer.Typer(help="Manage the gateway's accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
dlq_app = typer.Typer(help="Dead letters: count, read and replay them.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
console = Console()


def _settings() -> CliSettings:
    return CliSettings()


@app.callback()
def _logging() -> None:
    """Show the tool's warnings (stale pid files, processes it adopts) on the console."""
    handler = RichHandler(console=console, show_time=False, show_path=False, markup=False)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", handlers=[handler], force=True)
    logging.getLogger("cmo").setLevel(logging.INFO)


@app.command("provision")
def provision_command() -> None:
    """Download Kafka's jars and build FerretDB into the cache (done once)."""
    settings = _settings()
    try:
        libs, binary = provision(settings.cache_dir)
    except ProvisionError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(f"Kafka jars: {libs}\nFerretDB:   {binary}")


@infra_app.command("up")
def infra_up() -> None:
    """Start Kafka, FerretDB and the SMTP sink in the background; wait until they answer."""
    settings = _settings()
    infra = Infra(settings)
    try:
        with console.status("Starting Kafka and FerretDB..."):
            infra.up()
        sink = smtp_sink_daemon(settings)
        sink.launch([(settings.smtp_port, "CMO_SMTP_PORT")], lambda: None)
        port = settings.smtp_port
        wait_until(lambda: sink.listening(port), timeout_s=10, what="SMTP sink")
    except (ProvisionError, TimeoutError, PortTaken, ProcessExited) as exc:
        console.print(f"[red]{exc}[/] (logs in {settings.var_dir})")
        raise typer.Exit(1) from exc
    _print_status(infra)


@infra_app.command("down")
def infra_down() -> None:
    """Stop the background infrastructure started by `cmo infra up`."""
    settings = _settings()
    smtp_sink_daemon(settings).stop()
    Infra(settings).down()
    console.print("stopped")


@infra_app.command("status")
def infra_status() -> None:
    """Show where each component listens and whether it runs."""
    _print_status(Infra(_settings()))


def _print_status(infra: Infra) -> None:
    table = Table("component", "address", "state")
    for row in infra.status():
        table.add_row(*row)
    console.print(table)
    console.print(f"mail received by the SMTP sink: {infra.settings.var_dir / 'mail'}")


@app.command("up")
def up() -> None:
    """Start infrastructure and every service in the foreground; Ctrl-C stops everything."""
    began = time.monotonic()
    settings = _settings()
    infra = Infra(settings)
    started_here = [n for n in (infra.kafka, infra.ferretdb) if n is not None and not n.running()]
    sink = smtp_sink_daemon(settings)
    code = 1
    try:
        infra_up()
        sink.stop()  # run in the foreground instead, with the other logs
        env = service_environment(settings, infra)
        commands = {
            "smtp-sink": (smtp_sink_command(settings.smtp_port, settings.var_dir / "mail"), env)
        }
        ready = {}
        for service in existing_services():
            port = settings.service_port(service)
            try:
                ensure_free(port, service, f"CMO_{service.upper()}_PORT")
            except PortTaken as exc:
                console.print(f"[red]{exc}[/]")
                raise typer.Exit(1) from exc
            commands[service] = (service_command(service, port), env)
            ready[service] = f"http://127.0.0.1:{port}/ready"
            what = "(docs: /docs)" if BY_NAME[service].api else "(sign in here)"
            console.print(f"{service:<14} http://127.0.0.1:{port}  {what}")
        code = asyncio.run(run_foreground(commands, ready, began))
    finally:
        # Another Ctrl-C (or the terminal repeating it) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sink.stop()
        for node in started_here:
            node.stop()
        console.print("stopped")
    raise typer.Exit(code)


@app.command("mail")
def mail(limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20) -> None:
    """List the emails the local SMTP sink received."""
    folder = _settings().var_dir / "mail"
    table = Table("received", "to", "subject", "file")
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        table.add_row(path.name[:15], str(message["To"]), str(message["Subject"]), str(path))
    console.print(table)


@users_app.command(
    "create-admin",
    context_settings={
        "allow_extra_args": True,
        "ignore_unknown_options": True,
        "help_option_names": [],  # `--help` is the gateway's, with every option
    },
)
def users_create_admin(ctx: typer.Context) -> None:
    """Create the first admin: `--login EMAIL [--name NAME] [--password-stdin]`."""
    settings = _settings()
    env = {**os.environ, **service_environment(settings, Infra(settings))}
    command = [sys.executable, "-m", "cmo_gateway.admin", "create-admin", *ctx.args]
    raise typer.Exit(subprocess.call(command, env=env))


@notifications_app.command("replay")
def notifications_replay(
    event_id: Annotated[str | None, typer.Option(help="Only this event's deliveries.")] = None,
    delivery_id: Annotated[str | None, typer.Option(help="Only this delivery.")] = None,
    recipient_id: Annotated[str | None, typer.Option(help="Only this contact or endpoint.")] = None,
    url: Annotated[str | None, typer.Option(help="Notifications service base URL.")] = None,
) -> None:
    """Queue dead deliveries again (all of them unless filtered), with a fresh retry schedule."""
    import httpx

    base = url or f"http://127.0.0.1:{_settings().service_port('notifications')}"
    params = {
        k: v
        for k, v in {
            "event_id": event_id,
            "delivery_id": delivery_id,
            "recipient_id": recipient_id,
        }.items()
        if v is not None
    }
    try:
        response = httpx.post(f"{base}/deliveries/replay", params=params, timeout=30)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        console.print(f"[red]replay failed: {exc}[/]")
        raise typer.Exit(1) from exc
    console.print(f"replayed {response.json()['replayed']} dead deliveries")


def _bootstrap() -> str:
    settings = _settings()
    return Infra(settings).kafka_bootstrap


TopicOption = Annotated[
    str | None, typer.Option("--topic", help="Only this topic's (e.g. cmo.members).")
]
ReasonOption = Annotated[
    str | None, typer.Option(help="Only this reason (decode_error, handler_error).")
]
OffsetOption = Annotated[
    int | None, typer.Option(help="Only the dead letter at this offset of its .dlq topic.")
]


@dlq_app.command("list")
def dlq_list(topic: TopicOption = None) -> None:
    """How many dead letters each topic has, by reason and consumer, and how many were replayed."""
    bootstrap = _bootstrap()
    letters = asyncio.run(dlq.dead_letters(bootstrap, topic))
    counts = asyncio.run(dlq.replay_counts(bootstrap))
    groups: dict[tuple[str, str, str], list[dlq.DeadLetter]] = {}
    for letter in letters:
        key = (letter.original_topic, letter.reason, letter.headers.get("dlq-consumer", ""))
        groups.setdefault(key, []).append(letter)
    table = Table("topic", "reason", "consumer", "dead letters", "replayed", "newest")
    for (name, reason, consumer), group in sorted(groups.items()):
        replayed = sum(1 for d in group if counts.get(d.ref))
        newest = max(d.at for d in group).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(name, reason, consumer, str(len(group)), str(replayed), newest)
    console.print(table if groups else "no dead letters")


@dlq_app.command("show")
def dlq_show(
    topic: TopicOption = None,
    reason: ReasonOption = None,
    offset: OffsetOption = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 20,
) -> None:
    """The dead letters themselves: origin, reason, error, event and replays."""
    bootstrap = _bootstrap()
    letters = dlq.select(
        asyncio.run(dlq.dead_letters(bootstrap, topic)), reason=reason, offset=offset
    )
    counts = asyncio.run(dlq.replay_counts(bootstrap))
    newest = sorted(letters, key=lambda d: d.timestamp_ms, reverse=True)[:limit]
    for letter in newest:
        h = letter.headers
        console.print(f"[bold]{letter.ref}[/]  {letter.at:%Y-%m-%d %H:%M:%S} UTC")
        console.print(
            f"  from {h.get('dlq-original-topic')}:{h.get('dlq-original-partition')}:"
            f"{h.get('dlq-original-offset')}, consumer {h.get('dlq-consumer')}, "
            f"{letter.reason} after {h.get('dlq-attempts')} attempts"
        )
        console.print(f"  error: {h.get('dlq-error', '')[:500]}", markup=False)
        event = letter.event
        if event:
            console.print(
                f"  event: {event.get('type')} {event.get('event_id')} "
                f"(correlation {event.get('correlation_id')})"
            )
        else:
            console.print(f"  value: {letter.value[:200]!r}", markup=False)
        console.print(f"  replayed: {counts.get(letter.ref, 0)} times")
    if not newest:
        console.print("no dead letters")


@dlq_app.command("replay")
def dlq_replay(
    topic: TopicOption = None,
    reason: ReasonOption = None,
    offset: OffsetOption = None,
    force: Annotated[
        bool, typer.Option(help="Also those replayed before (consumers still apply once).")
    ] = False,
) -> None:
    """Send dead letters back to their original topic, with their key and headers, once each."""
    bootstrap = _bootstrap()
    letters = dlq.select(
        asyncio.run(dlq.dead_letters(bootstrap, topic)), reason=reason, offset=offset
    )
    counts = asyncio.run(dlq.replay_counts(bootstrap))
    sent, left = asyncio.run(dlq.replay(bootstrap, letters, counts, force=force))
    for letter in sent:
        console.print(f"replayed {letter.ref} to {letter.original_topic}")
    console.print(
        f"{len(sent)} replayed, {len(left)} left alone (replayed before; --force sends them again)"
    )


@app.command("trace")
def trace_command(
    correlation_id: Annotated[str, typer.Argument(help="The X-Correlation-ID of a request.")],
) -> None:
    """What one request caused across the services, as a tree in time order."""
    settings = _settings()
    infra = Infra(settings)
    found = asyncio.run(
        trace.collect(infra.kafka_bootstrap, infra.mongodb_url, settings.db_prefix, correlation_id)
    )
    console.print(trace.tree(found))


@app.command("docs")
def docs(
    check: Annotated[bool, typer.Option(help="Fail if a checked-in document is stale.")] = False,
) -> None:
    """Generate the AsyncAPI event catalogue and each service's OpenAPI document."""
    root = _settings().home
    if check:
        outdated = api_docs.stale(root)
        if outdated:
            console.print(f"[red]stale; run `cmo docs`:[/] {', '.join(outdated)}")
            raise typer.Exit(1)
        console.print("API documents are current")
        return
    for path in api_docs.write(root):
        console.print(f"wrote {path}")


@app.command("bench")
def bench(
    quick: Annotated[bool, typer.Option(help="Small sizes: minutes, not an hour.")] = False,
    only: Annotated[
        list[str] | None, typer.Option(help="Only this benchmark (repeatable).")
    ] = None,
    size: Annotated[
        list[int] | None, typer.Option(help="Measure at this N instead (repeatable).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for benchmarks.md and its chart (docs/).")
    ] = None,
) -> None:
    """Run every benchmark at three sizes; write docs/benchmarks.md and a chart of cost vs N."""
    root = _settings().home
    names = benchmarks.discovered(root)
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        console.print(f"[red]no such benchmark: {', '.join(unknown)}[/] (there are {names})")
        raise typer.Exit(2)
    chosen = [n for n in names if not only or n in only]
    commit = benchmarks.commit(root)  # before anything is written
    rows, failed = benchmarks.run(root, chosen, quick=quick, sizes=size or [], echo=console.print)
    folder = out or root / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    benchmarks.chart(rows, folder / "benchmarks.svg")
    page = benchmarks.report(rows, commit, quick=quick, chart_name="benchmarks.svg", failed=failed)
    (folder / "benchmarks.md").write_text(page)
    console.print(f"wrote {folder / 'benchmarks.md'} and {folder / 'benchmarks.svg'}")
    if failed:
        console.print(f"[red]failed: {', '.join(failed)}[/]")
        raise typer.Exit(1)


@app.command("check")
def check() -> None:
    """Lint, check formatting and check that the API documents are current (what CI checks)."""
    root = _settings().home
    for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        if subprocess.call([sys.executable, "-m", *step], cwd=root) != 0:
            raise typer.Exit(1)
    docs(check=True)


@app.command("test", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def test(ctx: typer.Context) -> None:
    """Provision the infrastructure and run the whole test suite (extra args go to pytest)."""
    settings = _settings()
    try:
        provision(settings.cache_dir)
        browser = chromium()
    except ProvisionError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    os.environ["CMO_CHROMIUM"] = str(browser)
    os.chdir(settings.home)
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *ctx.args])


if __name__ == "__main__":
    app()
