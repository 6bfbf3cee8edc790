"""`openler keys generate`, `openler sign`, `openler verify` (standards core).

Stable interface other tools call:
  keys generate [--type ed25519|p256] --out KEY.json   prints the did:key
  sign --key KEY.json [--suite ...] IN.json            prints the signed JSON
  verify FILE [--json] [--lang en|es] [--trust REG.json]
                                                       exit 0 verified, 1 not, 2 unusable
  (--trust: a Digital Credentials Consortium issuer registry file; the report then says
   whether each issuer is known, and an unknown issuer is a warning, not a failure)
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from openler.core.errors import CoreError, KeyMaterialError, StatusListError, VerificationInputError
from openler.core.verify.messages import check_title, status_word

KEY_TYPES = {"ed25519": "Ed25519", "p256": "P-256"}
SUITES = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}
EXIT_VERIFIED, EXIT_NOT_VERIFIED, EXIT_UNUSABLE = 0, 1, 2

keys_app = typer.Typer(help="Manage signing keys.", no_args_is_help=True)


def _fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@keys_app.command("generate")
def keys_generate(
    out: Annotated[Path, typer.Option("--out", help="Where to write the key file (JSON).")],
    key_type: Annotated[str, typer.Option("--type", help="ed25519 or p256.")] = "ed25519",
) -> None:
    """Create a key pair, write its key file and print its did:key."""
    from openler.core.dids import did_key_from_public, did_key_vm_id
    from openler.core.keys import KeyPair, generate_keypair, keypair_to_json

    algorithm = KEY_TYPES.get(key_type.lower())
    if algorithm is None:
        raise _fail(f"unknown key type {key_type!r}; use ed25519 or p256")
    pair = generate_keypair(algorithm)  # type: ignore[arg-type]
    did = did_key_from_public(pair.public_key())
    pair = KeyPair.from_multibase(
        pair.secret_multibase, id=did_key_vm_id(pair.public_key()), controller=did)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(keypair_to_json(pair), handle, indent=2)
            handle.write("\n")
    except OSError as exc:
        raise _fail(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(did)


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read {what} {path}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise _fail(f"{what} {path} is not JSON: {exc}") from None


def sign_command(
    input_file: Annotated[Path, typer.Argument(metavar="IN.json", help="Unsigned credential.")],
    key: Annotated[Path, typer.Option("--key", help="Key file from `openler keys generate`.")],
    suite: Annotated[str | None, typer.Option(
        "--suite", help="eddsa-rdfc-2022 (Ed25519) or ecdsa-rdfc-2019 (P-256).")] = None,
) -> None:
    """Sign a credential with a Data Integrity proof and print it."""
    from openler.core.dids import did_key_from_public, did_key_vm_id
    from openler.core.keys import keypair_from_json
    from openler.core.proofs import sign
    from openler.core.verify.checks import party_id

    try:
        pair = keypair_from_json(_read_json(key, "key file"))
    except KeyMaterialError as exc:
        raise _fail(f"unusable key file {key}: {exc}") from None
    controller = pair.controller or did_key_from_public(pair.public_key())
    method = pair.id or did_key_vm_id(pair.public_key())
    document = _read_json(input_file, "credential")
    if not isinstance(document, dict):
        raise _fail("the credential must be a JSON object")
    issuer = party_id(document.get("issuer"))
    if issuer is None:
        raise _fail("the credential has no issuer; set \"issuer\" to the key's DID "
                    f"({controller})")
    if issuer != controller:
        raise _fail(f"the credential's issuer {issuer} is not the key's controller "
                    f"{controller}; refusing to sign")
    chosen = suite or SUITES[pair.algorithm]
    if SUITES.get(pair.algorithm) != chosen:
        raise _fail(f"suite {chosen} cannot be used with a {pair.algorithm} key")
    try:
        signed = sign(document, keypair=pair, verification_method=method, cryptosuite=chosen)
    except CoreError as exc:
        raise _fail(f"cannot sign: {exc}") from None
    typer.echo(json.dumps(signed, indent=2, ensure_ascii=False))


def _status_fetcher(fetcher: Any) -> Any:
    def fetch_status_list(url: str) -> dict[str, Any]:
        try:
            response = fetcher.fetch(url)
        except CoreError as exc:
            raise StatusListError(f"cannot fetch status list {url}: {exc}") from None
        if response.status != 200:
            raise StatusListError(f"status list {url} answered HTTP {response.status}")
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise StatusListError(f"status list {url} is not JSON: {exc}") from None

    return fetch_status_list


@contextlib.contextmanager
def cli_context(language: str) -> Iterator[Any]:
    """The verification context of the command line: offline core, guarded HTTP if present."""
    from openler.core.dids import DidResolver
    from openler.core.verify import VerificationContext

    fetcher = None
    try:
        from openler.net import SafeHttpFetcher

        fetcher = SafeHttpFetcher()
    except Exception:  # the optional network layer is absent or cannot start
        fetcher = None
    from openler.core.status import StatusListCache

    try:
        yield VerificationContext(
            resolver=DidResolver(fetcher=fetcher), language=language,
            fetch_status_list=_status_fetcher(fetcher) if fetcher is not None else None,
            status_cache=StatusListCache())
    finally:
        if fetcher is not None:
            fetcher.close()


def _report(result: Any, language: str, console: Console, title: str) -> None:
    table = Table(title=title, show_lines=False)
    table.add_column("Check" if language == "en" else "Comprobación")
    table.add_column("Result" if language == "en" else "Resultado")
    table.add_column("What it means" if language == "en" else "Qué significa")
    styles = {"passed": "green", "failed": "bold red", "skipped": "yellow"}
    for check in result.checks:
        word = "could_not_check" if check.could_not_check else check.status
        table.add_row(check_title(check.name, language),
                      f"[{styles[check.status]}]{status_word(word, language)}[/]",
                      check.message)
    console.print(table)


def _registry(path: Path | None) -> Any:
    """The parsed --trust registry (None without the option); exit 2 when unusable."""
    if path is None:
        return None
    from openler.verifier.trust import RegistryFileError, parse_registry

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror}") from None
    try:
        parsed = parse_registry(data, name=path.name)
    except RegistryFileError as exc:
        raise _fail(f"{path} is not an issuer registry ({exc.code}): {exc.detail}") from None
    for problem in parsed.problems:
        typer.echo(f"warning: {path}: entry {problem.key!r} left out ({problem.code})", err=True)
    return parsed


def _trust_lines(result: Any, data: bytes, registry: Any, language: str,
                 console: Console | None) -> dict[str, Any]:
    """Print who issued each record and whether the registry knows them; return it as JSON."""
    from openler.core.verify.credential import parse_input
    from openler.verifier import report
    from openler.web.i18n import translations_for

    _ = translations_for(language).gettext
    try:
        document = parse_input(data)
    except VerificationInputError:
        document = None
    built = report.build(result, document=document, trust=registry.lookup)
    issuers = []
    for cred in built.credentials:
        entry = cred.issuer.entry
        if entry is not None:
            words = _("Yes: listed as “%(name)s” by the registry “%(registry)s”, which your "
                      "organization imported.") % {"name": entry.name,
                                                  "registry": entry.registry_name}
        else:
            words = _("No: neither your organization nor any registry it imported lists "
                      "this issuer.")
        if console is not None:
            console.print(f"{_('Issuer DID')}: {cred.issuer.did or '-'}", markup=False)
            console.print(f"{_('Known to your organization?')} {words}", markup=False)
        issuers.append({"did": cred.issuer.did, "known": entry is not None,
                        "name": entry.name if entry else None,
                        "registry": entry.registry_name if entry else None})
    if console is not None:
        for problem in built.summary:
            console.print(f"- {_(problem.title)}: {_(problem.meaning)} {_('What to do:')} "
                          f"{_(problem.action)}", markup=False)
    return {"state": built.state, "kinds": list(built.kinds), "issuers": issuers}


def verify_command(
    file: Annotated[Path, typer.Argument(help="Credential or presentation: JSON or SD-JWT.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="en or es.")] = "en",
    trust_file: Annotated[Path | None, typer.Option(
        "--trust", help="An issuer registry (Digital Credentials Consortium format): say "
                        "whether each issuer is known.")] = None,
) -> None:
    """Verify a credential or presentation and explain the result."""
    from openler.core.verify import verify_any

    language = lang if lang in ("en", "es") else "en"
    registry = _registry(trust_file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from None
    try:
        with cli_context(language) as ctx:
            result = verify_any(data, ctx=ctx)
    except VerificationInputError as exc:
        raise _fail(f"{file} is not a credential or presentation: {exc}") from None
    if as_json:
        out = result.to_dict()
        if registry is not None:
            out["trust"] = _trust_lines(result, data, registry, language, None)
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console()
        overall = status_word(result.outcome, language)
        style = {"verified": "bold green", "not_verified": "bold red"}.get(result.outcome,
                                                                          "bold yellow")
        console.print(f"[{style}]{overall}[/]  ({result.kind}, {result.format})")
        _report(result, language, console, str(file))
        for index, nested in enumerate(result.credentials):
            label = "Credential" if language == "en" else "Credencial"
            _report(nested, language, console,
                    f"{label} {index + 1}: {status_word(nested.outcome, language)}")
        if registry is not None:
            _trust_lines(result, data, registry, language, console)
    raise typer.Exit(EXIT_VERIFIED if result.verified else EXIT_NOT_VERIFIED)


def register(app: typer.Typer) -> None:
    """Attach the core commands to the root app."""
    app.add_typer(keys_app, name="keys")
    app.command("sign")(sign_command)
    app.command("verify")(verify_command)
