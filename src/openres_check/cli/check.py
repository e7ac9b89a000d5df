"""`openres-check check`: evaluate models against policies and gate on the result."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from openres_check._yaml import load_yaml_text
from openres_check.api import check
from openres_check.cli.common import (
    UsageError,
    add_catalog_option,
    add_project_option,
    locale_lang,
    output_path,
    use_color,
    write_output,
)
from openres_check.cli.helptext import tr
from openres_check.errors import InputError
from openres_check.project import Project, find_project, load_project
from openres_check.report import FAIL_ON_CHOICES, Report
from openres_check.reporters import OutputFormat, RenderOptions, get_reporter

__all__ = ["Settings", "add_artifact_options", "add_options", "emit", "input_files", "register",
           "settings"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check", help=tr("check models against policies", "モデルをポリシーで確認します"),
        description=tr(
            "Check models against policies in a deployment context. With no MODEL, read "
            "openres.yaml in the current folder.",
            "デプロイ状況（コンテキスト）に照らして、モデルをポリシーで確認します。MODEL を指定"
            "しない場合は、現在のフォルダの openres.yaml を読み込みます。"),
    )
    parser.add_argument("models", nargs="*", metavar="MODEL_REF", help=tr(
        "catalog id or alias, or a path to a descriptor, card or folder",
        "カタログの ID または別名、あるいは記述子、モデルカード、モデルフォルダのパス"))
    add_options(parser)
    add_artifact_options(parser)
    parser.add_argument("--hub", action="store_true", help=tr(
        "fetch cards and license files of models that are not in the catalog from the Hugging "
        "Face Hub (extra [hub]; uses the network)",
        "カタログにないモデルのモデルカードとライセンスファイルを Hugging Face Hub から取得"
        "します（[hub] エクストラが必要です。ネットワークを使用します）"))
    parser.add_argument("--revision", metavar="REV", help=tr(
        "with --hub: the revision to pin", "--hub と併用: 固定するリビジョン"))
    parser.add_argument("--inventory", metavar="FILE", help=tr(
        "check a bulk inventory: JSON Lines or a YAML stream of descriptors or Hugging Face "
        "listing records ('-' for stdin)",
        "一括のインベントリを確認します。JSON Lines、または記述子か Hugging Face の一覧"
        "レコードの YAML ストリームを指定します（標準入力は '-'）"))
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help=tr(
        "with --inventory: evaluate in N processes (at most the number of CPUs)",
        "--inventory と併用: N 個のプロセスで評価します（上限は CPU の数）"))
    parser.add_argument("--findings", choices=("compact", "full"), default="compact", help=tr(
        "with --inventory: one line per model with its verdict and the deciding facts, and "
        "the deployment's findings once (compact, the default), or one line per finding (full)",
        "--inventory と併用: モデルごとに結論と決め手になった事実を 1 行で出力し、デプロイ"
        "全体の検出事項は 1 回だけ出力する（compact、既定）か、検出事項ごとに 1 行で出力する"
        "（full）かを選びます"))
    parser.add_argument("--skip-invalid", action="store_true", help=tr(
        "with --inventory: report records that cannot be read and check the rest, and let the "
        "gate decide on those alone (by default an unreadable record makes the run exit 2)",
        "--inventory と併用: 読み取れないレコードを報告して残りを確認し、その結果だけでゲート"
        "を判定します（既定では、読み取れないレコードが 1 件でもあると終了コード 2 で終了し"
        "ます）"))
    parser.set_defaults(handler=run)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options `check` and `scan` share: context, policies, waivers, gate and output."""
    parser.add_argument("--context", metavar="FILE", help=tr(
        "deployment context YAML", "デプロイ状況（コンテキスト）の YAML ファイル"))
    parser.add_argument("--policy", action="append", metavar="REF", dest="policies", help=tr(
        "bundled pack name or path, or `bundled` for all bundled packs (repeatable; default: "
        "all bundled)",
        "同梱のポリシーパックの名前かパス。`bundled` は同梱のすべてのパックです（複数指定可。"
        "既定: 同梱のすべてのパック）"))
    add_catalog_option(parser)
    parser.add_argument("--waivers", metavar="FILE", help=tr(
        "waivers YAML", "例外承認の YAML ファイル"))
    add_project_option(parser)
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help=tr(
        "evaluate as of this date", "この日付を基準日として評価します"))
    parser.add_argument("--param", action="append", metavar="NAME=VALUE", dest="params",
                        default=None, help=tr(
                            "override a pack parameter (repeatable), e.g. "
                            "eu_ai_act_dates=omnibus",
                            "ポリシーパックのパラメータを上書きします（複数指定可）。例: "
                            "eu_ai_act_dates=omnibus"))
    parser.add_argument("--lang", choices=("en", "ja"), default=None)
    parser.add_argument("--format", choices=[*(f.value for f in OutputFormat), "jsonl"],
                        default=None, help=tr(
                            "report format (default: text; jsonl with --inventory)",
                            "レポートの形式（既定: text。--inventory では jsonl）"))
    parser.add_argument("--output", "-o", metavar="FILE", help=tr(
        "write here (atomically)", "出力先のファイル（書き終えてから置き換えます）"))
    parser.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=None, help=tr(
        "lowest severity of a `fail` that fails the gate (default: high)",
        "ゲートを不合格にする `fail`（不適合）の最も低い重大度（既定: high）"))
    parser.add_argument("--strict", action="store_true", help=tr(
        "`review` findings fail the gate too",
        "`review`（要確認）の検出事項でもゲートを不合格にします"))
    parser.add_argument("--baseline", metavar="REPORT.json", help=tr(
        "an earlier JSON report: only new findings fail the gate",
        "比較元とする以前の JSON レポート。新しく現れた検出事項だけでゲートを判定します"))
    parser.add_argument("--all", action="store_true", dest="show_all", help=tr(
        "list pass and not_applicable findings too",
        "`pass`（適合）と `not_applicable`（対象外）の検出事項も表示します"))
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def add_artifact_options(parser: argparse.ArgumentParser) -> None:
    """The options `check` and `scan` share about local model files: lock and signer."""
    parser.add_argument("--lock", metavar="FILE", help=tr(
        "lock file (openres-check lock): a changed, missing or new model file fails",
        "ロックファイル（openres-check lock で作成）。モデルファイルの変更・欠落・追加を"
        "不適合とします"))
    parser.add_argument("--signer-identity", metavar="EMAIL|URI", help=tr(
        "the signer each local model folder's model.sig must verify as (with --signer-issuer; "
        "extra [signing], which reads Sigstore's trust root: the network on first use)",
        "ローカルの各モデルフォルダの model.sig を検証したときに一致すべき署名者です"
        "（--signer-issuer と併用。[signing] エクストラが必要です。Sigstore のトラストルートを"
        "読み込むため、初回はネットワークを使用します）"))
    parser.add_argument("--signer-issuer", metavar="URL", help=tr(
        "the OpenID Connect issuer that certified --signer-identity, e.g. "
        "https://accounts.google.com",
        "--signer-identity を証明した OpenID Connect の発行者。例: https://accounts.google.com"))


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """`NAME=VALUE` pairs; values are read as YAML scalars (dates, numbers, booleans)."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {pair!r}: write NAME=VALUE")
        try:
            params[name] = load_yaml_text(raw or "''", "--param").data
        except InputError:
            params[name] = raw
    return params


def _inventory(args: argparse.Namespace, context: Any, policies: Any, catalogs: list[str],
               lang: str | None, fail_on: str | None, params: dict[str, Any], waivers: Any,
               stdout: TextIO, stderr: TextIO, context_source: str | None) -> int:
    from openres_check.api import _as_of, _context, _waivers, pack_params  # noqa: PLC0415
    from openres_check.catalog import load_catalog  # noqa: PLC0415
    from openres_check.cli.inventory import run_inventory  # noqa: PLC0415
    from openres_check.policies import load_policies  # noqa: PLC0415

    if args.models:
        raise UsageError("--inventory checks the models listed in its file; drop the MODEL_REF "
                         f"arguments ({', '.join(args.models)}) or add them to the inventory")
    if args.baseline:
        raise UsageError("--baseline is for single checks; --inventory cannot compare with an "
                         "earlier report")
    ctx, source = _context(context)
    pack_params(load_policies(policies), params)  # unknown or bad parameters fail here, once
    load_catalog(catalogs)  # a bad catalog fails here, once, not in every worker process
    settings = {
        "catalogs": catalogs, "policies": policies, "context": ctx.model_dump(mode="json"),
        "as_of": _as_of(args.as_of).isoformat(), "lang": lang or locale_lang() or "en",
        "params": params,
        "show_all": args.show_all, "fail_on": fail_on or "high",
        "strict_gate": args.strict, "context_source": context_source or source,
        "waivers": [w.model_dump(mode="json") for w in _waivers(waivers)],
        "findings": args.findings,
    }
    return run_inventory(args, settings, stdout, stderr)


def input_files(args: argparse.Namespace, models: list[str], context: Any, waivers: Any,
                 policies: Any, project: Path | None) -> list[str | Path]:
    """The files this run reads, which its output must not overwrite."""
    named = [*models, *(policies or []), context, waivers, args.baseline,
             getattr(args, "inventory", None), getattr(args, "diff", None),
             project]
    return [p for p in named if isinstance(p, (str, Path)) and str(p) not in ("", "-")]


@dataclass
class Settings:
    """The run's inputs: the command line over the project file."""

    models: list[str]
    context: Any
    policies: Any
    catalogs: list[str]
    waivers: Any
    fail_on: str | None
    lang: str | None
    params: dict[str, Any]
    declared: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    project: Project | None = None
    context_source: str | None = None
    """Where an inline context was written (openres.yaml:LINE), for evidence."""
    lock: str | None = None
    signer: tuple[str | None, str | None] = (None, None)
    """The expected signer's identity and issuer: both from the command line when it gives
    either, else from the project file."""


def settings(args: argparse.Namespace, project_path: Path | None) -> Settings:
    """The command line's values, completed from the project file at `project_path`."""
    models: list[str] = list(getattr(args, "models", []))
    found = Settings(models, args.context, args.policies, args.catalogs or [], args.waivers,
                     args.fail_on, args.lang, parse_params(args.params or []),
                     lock=args.lock, signer=(args.signer_identity, args.signer_issuer))
    if project_path is None:
        return found
    project = load_project(project_path)
    found.project = project
    found.models = models or project.model_references()
    if found.context is None:
        found.context, found.context_source = project.context(), project.context_source()
    found.policies = found.policies if found.policies is not None else project.policies()
    found.catalogs = found.catalogs or project.catalogs()
    found.waivers = found.waivers if found.waivers is not None else project.waivers()
    found.fail_on = found.fail_on or project.file.fail_on
    found.lang = found.lang or project.file.lang
    found.params = {**project.file.params, **found.params}
    found.declared = project.declared()
    found.lock = found.lock or project.lock()
    if found.signer == (None, None):
        found.signer = (project.file.signer_identity, project.file.signer_issuer)
    return found


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if any(not model.strip() for model in args.models):
        raise UsageError("a MODEL_REF is empty: give a catalog id, an alias or a path "
                         "(`.` for the current folder)")
    project_path: Path | None = None
    if args.project or (not args.models and not args.inventory):
        project_path = Path(args.project) if args.project else find_project(Path.cwd()).path
    given = settings(args, project_path)
    models, context, policies, catalogs = (given.models, given.context, given.policies,
                                           given.catalogs)
    waivers, fail_on, lang, params = given.waivers, given.fail_on, given.lang, given.params
    declared, context_source, lock = given.declared, given.context_source, given.lock
    inputs = input_files(args, models, context, waivers, policies, project_path)
    if lock:
        inputs.append(lock)
    if args.output not in (None, "-"):
        output_path(args.output, inputs)  # refuse a bad output before the work, not after
    if given.project is not None and not args.models and not args.inventory \
            and given.project.file.scan is not None:
        # The project asks for its paths to be scanned too: `check` gates on what is found.
        from openres_check.cli.scan import run_scan  # noqa: PLC0415 - scan imports this module

        return run_scan(args, given, [], inputs, stdout, stderr)
    if args.inventory:
        if lock:
            raise UsageError("--lock compares local model folders; an inventory has none, so "
                             "drop --lock (or the project's lock:) with --inventory")
        if given.signer != (None, None):
            raise UsageError("--signer-identity verifies local model folders; an inventory has "
                             "none, so drop it (or the project's signer_identity:) with "
                             "--inventory")
        return _inventory(args, context, policies, catalogs, lang, fail_on, params, waivers,
                          stdout, stderr, context_source)
    if args.format == "jsonl":
        raise UsageError("--format jsonl is for --inventory; use --format json")
    if args.revision and not args.hub:
        raise UsageError("--revision pins a Hub revision; it needs --hub")
    report = check(models, context, policies, as_of=args.as_of,
                   lang=lang or locale_lang() or "en",
                   catalogs=catalogs, waivers=waivers, params=params, hub=args.hub,
                   revision=args.revision, baseline=args.baseline, declared=declared,
                   context_source=context_source, lock=lock, signer_identity=given.signer[0],
                   signer_issuer=given.signer[1])
    return emit(report, args, fail_on, inputs, stdout)


def emit(report: Report, args: argparse.Namespace, fail_on: str | None,
         inputs: list[str | Path], stdout: TextIO) -> int:
    """Render the report as `--format` asks, write it, and return the gate's status."""
    to_terminal = args.output in (None, "-")
    fmt = args.format or "text"
    options = RenderOptions(color=to_terminal and fmt == "text"
                            and use_color(args.color, stdout), show_all=args.show_all,
                            fail_on=fail_on or "high", strict=args.strict)
    write_output(get_reporter(fmt).render(report, options), args.output, stdout, inputs,
                 safe=True)
    return report.exit_code(fail_on=fail_on or "high", strict=args.strict)
