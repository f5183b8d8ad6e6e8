"""`pat serve`: respondents answer in a browser; `pat serve export`, `invite`, `status`,
`erase`, `close` and `purge`.

Nothing of the web stack is imported until a subcommand runs, so `pat serve --help` is as
quick as `pat --help`.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option

if TYPE_CHECKING:
    from pat_framework.serve.storage import Collection, Store

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765


class _ServeGroup(click.Group):
    """`pat serve SOURCE` starts the server: a first argument that is not a subcommand is
    taken as the source of `pat serve start`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["start", *args]
        return super().parse_args(ctx, args)


def _db_option(command: Any) -> Any:
    return click.option(
        "--db",
        metavar="URL",
        help="The database: sqlite:///FILE.db (default: beside the workshop file, or "
        "pat-serve.db here) or postgresql://USER@HOST/DATABASE.",
    )(command)


def _when(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """An ISO date and time (2026-12-03T09:30); times without a zone are local time."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date and time; write it as 2026-12-03T09:30"
        ) from None
    return moment.astimezone(datetime.UTC)


def _day(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """An ISO date (2027-06-30), kept through its last moment in local time."""
    if value is None:
        return None
    from pat_framework.serve.retention import end_of

    try:
        moment = end_of(datetime.date.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as 2027-06-30") from None
    if moment <= datetime.datetime.now(datetime.UTC):
        raise click.BadParameter(f"{value} has passed; give a later date")
    return moment


def _store(db: str | None, source: str | None = None) -> Store:
    from pat_framework.serve.storage import Store

    if db is None:
        if source is not None and source.endswith(".toml"):
            path = Path(source).resolve()
            db = f"sqlite:///{path.with_suffix('.db')}"
        else:
            db = f"sqlite:///{Path('pat-serve.db').resolve()}"
    store = Store(db)
    store.migrate()
    return store


@click.group(cls=_ServeGroup)
def serve() -> None:
    """Let partners answer in a browser, on their phones or laptops.

    `pat serve WORKSHOP.toml` (or an instrument id) opens a collection for answers and
    starts the server; every answer is saved in the database as it is given.
    `pat serve export COLLECTION -o answers.csv` writes them for `pat score`, and a
    workshop file can read them directly: responses = ["sqlite:///FILE.db#COLLECTION"].
    """


@serve.command()
@click.argument("source", metavar="WORKSHOP.toml|ID")
@_db_option
@click.option("--name", help="The collection's name (default: the workshop file's or id's).")
@click.option(
    "--organisation",
    "organisations",
    multiple=True,
    help="An organisation respondents choose from (repeat for each; default: those in the "
    "workshop's response files, or the collection's).",
)
@click.option("--level", "levels", multiple=True, help="A level to choose from (repeat).")
@click.option("--round", "round_", metavar="ROUND", help="The round these answers belong to.")
@click.option(
    "--min-group",
    type=click.IntRange(min=3),
    help="The smallest group a figure is shown for (default: the workshop file's, or 5).",
)
@click.option("--opens", callback=_when, help="When answers open (2026-12-03T09:30).")
@click.option("--closes", callback=_when, help="When answers close.")
@click.option(
    "--host",
    default=LOOPBACK,
    show_default=True,
    help="The address to listen on; 0.0.0.0 lets other devices on the network in.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust X-Forwarded-Proto/For from a reverse proxy on this machine (HTTPS).",
)
@click.option("--invite", type=click.IntRange(min=0), default=0, help="Print N new invitations.")
@click.option(
    "--new-code",
    is_flag=True,
    help="Make a new room access code (the old one stops working; devices in stay in).",
)
@click.option(
    "--partnership",
    metavar="P",
    help="Put the collection in partnership P: the facilitator accounts of P can open it.",
)
@click.option(
    "--new-secret",
    is_flag=True,
    help="Make a new facilitator secret (the old one stops working, and its sessions end).",
)
@click.option(
    "--keep-until",
    metavar="DATE",
    callback=_day,
    help="Keep the answers until DATE (2027-06-30); pat serve purge then deletes them.",
)
@click.option(
    "--privacy",
    "privacy_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A privacy notice (Markdown or text) shown to respondents before they answer.",
)
@click.option("--no-start", is_flag=True, help="Open the collection and stop (for scripts).")
def start(
    source: str,
    db: str | None,
    name: str | None,
    organisations: tuple[str, ...],
    levels: tuple[str, ...],
    round_: str | None,
    min_group: int | None,
    opens: datetime.datetime | None,
    closes: datetime.datetime | None,
    host: str,
    port: int,
    workers: int,
    behind_proxy: bool,
    invite: int,
    new_code: bool,
    partnership: str | None,
    new_secret: bool,
    keep_until: datetime.datetime | None,
    privacy_file: Path | None,
    no_start: bool,
) -> None:
    """Open a collection for a workshop file or an instrument and serve it.

    Binds to 127.0.0.1 (this computer only) unless --host is given.
    """
    from pat_framework.serve.collections import Opening, default_name, open_collection

    notice = None
    if privacy_file is not None:
        from pat_framework.serve.privacy import read_notice

        notice, note = read_notice(privacy_file)
        if note:
            click.echo(f"pat: note: {note}", err=True)
    reg = registry()
    store = _store(db, source)
    _refuse_cut(store, name or default_name(source))
    opening = Opening(source, name, organisations, levels, round_, min_group, opens, closes)
    collection = open_collection(reg, store, opening)
    base = _base_url(host, port)
    code = None
    if new_code or collection.room_code_hash is None:
        code = store.new_room_code(collection)
    _describe(collection, base, code)
    _protection(store, collection, keep_until, notice)
    _facilitator_access(store, collection, base, partnership, new_secret)
    if invite:
        for token in store.invite(collection, [None] * invite):
            click.echo(f"  invitation: {base}/i/{token}")
    if host != LOOPBACK and host != "localhost":
        _warn_network(base)
    url = store.url.render_as_string(hide_password=False)
    store.close()
    if not no_start:
        from pat_framework.serve.launch import run_server

        click.echo(f"  serving on {host}:{port} (Ctrl-C stops it)")
        run_server(url, host, port, workers, behind_proxy)


@serve.command()
@click.argument("collection_name", metavar="COLLECTION")
@_db_option
@click.option("--instrument", "instrument_id", help="The instrument, when there are several.")
@output_option("The CSV file to write (long layout: respondent, …, item, answer).")
def export(collection_name: str, db: str | None, instrument_id: str | None, output: Path) -> None:
    """Write a collection's answers as the long CSV `pat score` reads."""
    from pat_framework.serve.export import find, instrument_of, long_csv

    store = _store(db)
    collection = find(store, collection_name)
    text = long_csv(store, collection, instrument_of(collection, instrument_id))
    store.close()
    emit(text, output)


@serve.command()
@click.argument("collection_name", metavar="COLLECTION")
@_db_option
@click.option("--link", help="The respondent's own link (or the token at its end).")
@click.option("--note", help="The note the respondent's invitation was made with.")
@click.option(
    "--reference", help="The reference a respondent who joined the room was shown when done."
)
def erase(
    collection_name: str, db: str | None, link: str | None, note: str | None, reference: str | None
) -> None:
    """Delete one respondent's answers on their request, with their history: found by the
    link they were given (or answered with), by their invitation's note, or by the
    reference shown to a respondent who joined the room."""
    from pat_framework.errors import PatError
    from pat_framework.serve import facilitators
    from pat_framework.serve.erasure import erase as erase_one
    from pat_framework.serve.export import find

    if sum(given is not None for given in (link, note, reference)) != 1:
        raise click.UsageError(
            "give one of the respondent's --link, their invitation's --note, or the "
            "--reference they were shown"
        )
    token = None if link is None else link.rstrip("/").rpartition("/")[2]
    store = _store(db)
    try:
        collection = find(store, collection_name)
        removed, warning = erase_one(store, collection, token, note, reference)
        facilitators.log_change(
            store,
            facilitators.COMMAND_LINE,
            collection,
            f"erased a respondent on request ({removed} answer(s))",
        )
    except PatError as exc:
        raise PatError(f"{collection_name}: {exc}") from None
    finally:
        store.close()
    click.echo(f"{collection_name}: erased one respondent and {removed} answer(s), with their "
               "history")  # fmt: skip
    _warn(collection_name, warning)


@serve.command()
@click.argument("collection_name", metavar="COLLECTION")
@_db_option
def status(collection_name: str, db: str | None) -> None:
    """How many have started and submitted, by organisation and level, never what anyone
    answered; groups smaller than the collection's threshold are not shown."""
    from pat_framework.serve.export import find
    from pat_framework.serve.turnout import as_text, turnout

    store = _store(db)
    collection = find(store, collection_name)
    stages = store.progress(collection)
    store.close()
    click.echo(as_text(collection.name, turnout(stages, collection.min_group)), nl=False)


@serve.command()
@click.argument("collection_name", metavar="COLLECTION")
@_db_option
@click.option("-n", "count", type=click.IntRange(1, 10_000), default=1, show_default=True)
@click.option("--note", multiple=True, help="Who each link is for (repeat; kept with it).")
@click.option("--base-url", default=f"http://{LOOPBACK}:{DEFAULT_PORT}", show_default=True)
def invite(
    collection_name: str, db: str | None, count: int, note: tuple[str, ...], base_url: str
) -> None:
    """Print personal invitation links, one per respondent.

    Each link holds a 128-bit token that the database keeps only as a hash: copy the links
    now, they cannot be shown again.
    """
    from pat_framework.errors import PatError
    from pat_framework.serve.export import find
    from pat_framework.serve.unlinking import refuse_if_cut

    store = _store(db)
    collection = find(store, collection_name)
    try:
        refuse_if_cut(store, collection, "no invitation can be made: open a new collection")
    except PatError as exc:
        raise PatError(f"{collection_name}: {exc}") from None
    notes: list[str | None] = list(note) if note else [None] * count
    for label, token in zip(notes, store.invite(collection, notes), strict=True):
        click.echo(f"{base_url.rstrip('/')}/i/{token}" + (f"\t{label}" if label else ""))
    store.close()


@serve.command()
@click.argument("collection_name", metavar="COLLECTION")
@_db_option
@click.option(
    "--cut-link",
    is_flag=True,
    help="Also cut, for good, every link between the invitations (names, emails, notes, "
    "links) and the answers; the answers and reports stay as they are.",
)
def close(collection_name: str, db: str | None, cut_link: bool) -> None:
    """Close a collection now: no answer can be given or changed after."""
    from pat_framework.errors import PatError
    from pat_framework.serve import facilitators, unlinking
    from pat_framework.serve.export import find

    store = _store(db)
    warning = None
    try:
        collection = find(store, collection_name)
        if cut_link:
            cut = unlinking.cut_link(store, collection)
            said = (
                f"closed, and the link cut: {cut.respondents} respondent(s) made anonymous, "
                f"{cut.invitations} invitation(s) and {cut.events} saved change(s) deleted"
            )
            facilitators.log_change(store, facilitators.COMMAND_LINE, collection, said)
            warning = cut.warning
        elif unlinking.close(store, collection):
            said = "closed"
            facilitators.log_change(store, facilitators.COMMAND_LINE, collection, said)
        else:
            said = "was already closed"
    except PatError as exc:
        raise PatError(f"{collection_name}: {exc}") from None
    finally:
        store.close()
    click.echo(f"{collection_name}: {said}")
    _warn(collection_name, warning)


@serve.command()
@_db_option
@click.option(
    "--export",
    "export_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="First write each instrument's answers as a long CSV into DIR.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be purged; delete nothing.")
def purge(db: str | None, export_dir: Path | None, dry_run: bool) -> None:
    """Delete every collection kept past its --keep-until date: its respondents, answers,
    history and invitations (the audit log keeps a line for each)."""
    from pat_framework.serve.retention import purge as purge_due
    from pat_framework.serve.unlinking import shown

    store = _store(db)
    try:
        done, warning = purge_due(store, export_dir, dry_run)
    finally:
        store.close()
    if not done:
        click.echo("nothing to purge: no collection is kept past its date")
    verb = "would purge" if dry_run else "purged"
    for one in done:
        click.echo(
            f"{verb} {one.name} (kept until {shown(one.keep_until)}): {one.respondents} "
            f"respondent(s), {one.answers} answer(s)"
        )
        for path in one.files:
            click.echo(f"  {'would write' if dry_run else 'wrote'} {path}")
    _warn("purge", warning)


def _warn(what: str, warning: str | None) -> None:
    if warning:
        click.echo(f"pat: warning: {what}: {warning}", err=True)


def _refuse_cut(store: Store, name: str) -> None:
    """A collection whose link was cut cannot be opened again: new answers could be
    linked to their invitations."""
    from pat_framework.errors import PatError
    from pat_framework.serve.unlinking import refuse_if_cut

    existing = store.collection(name)
    if existing is not None:
        try:
            refuse_if_cut(store, existing, "it cannot be opened again: open a new collection")
        except PatError as exc:
            raise PatError(f"{name}: {exc}") from None


def _protection(
    store: Store,
    collection: Collection,
    keep_until: datetime.datetime | None,
    notice: str | None,
) -> None:
    """Set the collection's retention date and privacy notice, and say what they are."""
    from pat_framework.serve import facilitators
    from pat_framework.serve.privacy import set_notice
    from pat_framework.serve.retention import set_keep_until
    from pat_framework.serve.unlinking import shown

    if keep_until is not None:
        set_keep_until(store, collection, keep_until)
    if notice is not None:
        set_notice(store, collection, notice)
    held = facilitators.facilitation(store, collection)
    kept = held["keep_until"]
    if isinstance(kept, datetime.datetime):
        click.echo(f"  kept until: {shown(kept)} (then pat serve purge deletes the answers)")
    if held["privacy_notice"]:
        click.echo("  privacy notice: shown on the first page")


def _facilitator_access(
    store: Store, collection: Collection, base: str, partnership: str | None, new_secret: bool
) -> None:
    """Put the collection in its partnership, and print the facilitator secret when it is
    made: for a collection in no partnership (one workshop), or with --new-secret."""
    from pat_framework.serve import facilitators

    if partnership is not None:
        ident = facilitators.partnership_id(store, partnership)
        facilitators.set_facilitation(store, collection, partnership_id=ident)
    held = facilitators.facilitation(store, collection)
    if new_secret or (held["partnership"] is None and not held["has_secret"]):
        secret = facilitators.new_secret(store, collection)
        click.echo(f"  facilitator: {base}{facilitators.SIGN_IN}   secret: {secret}")
    elif held["partnership"] is not None:
        click.echo(f"  facilitator: {base}/f/ (accounts of partnership {held['partnership']})")
    else:
        shown = "the one shown when it was made (--new-secret)"
        click.echo(f"  facilitator: {base}{facilitators.SIGN_IN}   secret: {shown}")


@serve.group()
def facilitator() -> None:
    """Facilitator accounts for a shared server: each sees only the collections of its
    partnerships."""


@facilitator.command("add")
@click.argument("account")
@_db_option
@click.option(
    "--partnership",
    "partnerships",
    multiple=True,
    help="A partnership whose collections the account sees (repeat for several).",
)
@click.option("--all", "everything", is_flag=True, help="The account sees every collection.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def facilitator_add(
    account: str,
    db: str | None,
    partnerships: tuple[str, ...],
    everything: bool,
    password_stdin: bool,
) -> None:
    """Add a facilitator account (the password is asked for, hidden, twice)."""
    import sys

    from pat_framework.serve import facilitators

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _store(db)
    try:
        facilitators.add_account(store, account, password, partnerships, everything)
        facilitators.log_change(store, facilitators.COMMAND_LINE, None, f"added account {account}")
    finally:
        store.close()
    seen = "every collection" if everything else "partnership(s) " + ", ".join(partnerships)
    click.echo(f"facilitator account {account} added: sees {seen}")


@facilitator.command("list")
@_db_option
def facilitator_list(db: str | None) -> None:
    """The facilitator accounts and their partnerships."""
    from pat_framework.serve import facilitators

    store = _store(db)
    found = facilitators.accounts(store)
    store.close()
    if not found:
        click.echo("no facilitator accounts")
    for name, groups, everything in found:
        click.echo(f"{name}\t{'(every collection)' if everything else ', '.join(groups)}")


@facilitator.command("remove")
@click.argument("account")
@_db_option
def facilitator_remove(account: str, db: str | None) -> None:
    """Remove a facilitator account; its sessions end at once (the audit log keeps it)."""
    from pat_framework.serve import facilitators

    store = _store(db)
    try:
        facilitators.remove_account(store, account)
        facilitators.log_change(
            store, facilitators.COMMAND_LINE, None, f"removed account {account}"
        )
    finally:
        store.close()
    click.echo(f"facilitator account {account} removed")


def _base_url(host: str, port: int) -> str:
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = _lan_address()
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _lan_address() -> str:
    """This machine's address on its network (no packet is sent)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            return str(probe.getsockname()[0])
        except OSError:
            return LOOPBACK


def _describe(collection: Collection, base: str, code: str | None) -> None:
    """The collection, its room link, and the access code when it was just made (the
    database keeps only its hash, so an older code cannot be shown again)."""
    click.echo(
        f"pat serve: collection {collection.name} ({', '.join(collection.instruments)}), "
        f"{collection.state()}"
    )
    shown = f"{code[:4]}-{code[4:]}" if code else "the one shown when it was made (--new-code)"
    click.echo(f"  room link: {base}/c/{collection.name}   access code: {shown}")


def _warn_network(base: str) -> None:
    from pat_framework.serve.launch import qr_text

    click.echo(f"\nOn the network at {base}/ — scan to open it:")
    click.echo(qr_text(base), nl=False)
    click.echo(
        "pat: warning: anyone on this network can reach the server; use it on a network you "
        "trust, or behind HTTPS (see docs/serve-it.md).",
        err=True,
    )
