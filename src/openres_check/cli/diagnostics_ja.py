"""Diagnostics in Japanese: every error, hint and usage message the CLI writes.

The library raises errors in English (they are values a program may read). The CLI shows them
to a person, so under `--lang ja` (or a `ja_JP` locale) each line is translated here by its
shape: `FILE:LINE: PATH: error[CODE]: MESSAGE`, `error: MESSAGE`, `hint: HINT`. A message is
matched whole against the table below, and its values (paths, keys, ids, numbers) are carried
into the Japanese sentence unchanged. Text that belongs to someone else (a parser's own
explanation) is quoted as 「…」. Terms follow the project's Japanese glossary.

Every pattern is anchored and has literal text between its groups, and lines longer than
`_MAX_LINE` are left as they are, so a hostile path cannot make matching slow.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["localize", "translate_message"]

_MAX_LINE = 4096

# (English message, Japanese template). `{name}` takes the named group; `{name!q}` quotes it.
_TABLE: tuple[tuple[str, str], ...] = (
    # -- files and YAML ---------------------------------------------------------------
    (r"cannot load (?P<f>.+)", "{f} を読み込めません"),
    (r"cannot read (?P<f>.+)", "{f} を読み取れません"),
    (r"cannot use (?P<f>.+)", "{f} は使用できません"),
    (r"cannot use the baseline (?P<f>.+)", "比較元のレポート {f} は使用できません"),
    (r"cannot lint (?P<f>.+)", "{f} を検査できません"),
    (r"cannot read the inventory (?P<f>.+)", "インベントリ {f} を読み取れません"),
    (r"cannot read the model card (?P<f>.+)", "モデルカード {f} を読み取れません"),
    (r"(?P<f>.+) is not a valid (?P<what>[A-Za-z ]+) \((?P<n>\d+) problems?\)",
     "{f} は有効な{what!noun}ではありません（問題 {n} 件）"),
    (r"(?P<f>.+) is not a valid (?P<what>[A-Za-z ]+)", "{f} は有効な{what!noun}ではありません"),
    (r"no such file", "ファイルがありません"),
    (r"the file is empty", "ファイルが空です"),
    (r"the file holds no YAML document", "ファイルに YAML ドキュメントがありません"),
    (r"larger than (?P<n>\d+) bytes", "{n} バイトを超えています"),
    (r"the file has more than (?P<n>\d+) bytes", "ファイルが {n} バイトを超えています"),
    (r"byte 0x(?P<b>[0-9a-f]{2}) is not valid UTF-8",
     "バイト 0x{b} は UTF-8 として不正です"),
    (r"invalid YAML: (?P<why>.+)", "YAML として不正です: {why!q}"),
    (r"the document nests too deeply", "ドキュメントの入れ子が深すぎます"),
    (r"nesting deeper than (?P<n>\d+) levels", "入れ子が {n} 階層を超えています"),
    (r"more than (?P<n>\d+) alias references; the document was not expanded",
     "エイリアス参照が {n} 個を超えたため、ドキュメントを展開しませんでした"),
    (r"more than (?P<n>\d+) values", "値が {n} 個を超えています"),
    (r"this is a device or socket, not a file",
     "デバイスまたはソケットであり、ファイルではありません"),
    (r"this is a folder, not a file", "フォルダであり、ファイルではありません"),
    (r"cannot read it: (?P<why>.+)", "読み取れません: {why!q}"),
    (r"the tag '(?P<t>.+)' is not allowed", "タグ '{t}' は使用できません"),
    (r"duplicate key '(?P<k>.+)' \(first at line (?P<n>\d+)\)",
     "キー '{k}' が重複しています（最初の出現は {n} 行目）"),
    (r"merge keys \(<<\) are not allowed", "マージキー（<<）は使用できません"),
    (r"expected a mapping at the top level, found (?P<t>\w+)",
     "最上位はマッピングである必要がありますが、{t} でした"),
    (r"expected a mapping, found (?P<t>\w+)", "マッピングである必要がありますが、{t} でした"),
    (r"unknown key '(?P<k>.+)'", "未知のキー '{k}' です"),
    (r"required key '(?P<k>.+)' is missing", "必須のキー '{k}' がありません"),
    (r"'(?P<v>.*)' is not a country code", "'{v}' は国コードではありません"),
    (r"(?P<what>.+) holds a lone surrogate escape \(such as \\ud800\), which is no character",
     "{what} に単独のサロゲートのエスケープ（\\ud800 など）があり、文字として読めません"),
    (r"not valid UTF-8: byte 0x(?P<b>[0-9a-f]{2}) at column (?P<c>\d+)",
     "UTF-8 として不正です（{c} 桁目のバイト 0x{b}）"),
    (r"not valid JSON: (?P<why>.+)", "JSON として不正です: {why!q}"),
    (r"a record must be an object, found (?P<t>\w+)",
     "レコードはオブジェクトである必要がありますが、{t} でした"),
    (r"the record has no `id`", "レコードに `id` がありません"),
    (r"the JSON nests too deeply", "JSON の入れ子が深すぎます"),
    (r"a number has too many digits to be read", "数値の桁数が多すぎて読み取れません"),
    # -- values (pydantic's messages, and ours) -----------------------------------------
    (r"Input should be a valid integer(?P<rest>.*)", "整数を指定してください{rest!got}"),
    (r"Input should be a valid number(?P<rest>.*)", "数値を指定してください{rest!got}"),
    (r"Input should be a valid boolean(?P<rest>.*)",
     "true または false を指定してください{rest!got}"),
    (r"Input should be a valid string(?P<rest>.*)", "文字列を指定してください{rest!got}"),
    (r"Input should be a valid list(?P<rest>.*)", "リストを指定してください{rest!got}"),
    (r"Input should be a valid dictionary(?P<rest>.*)",
     "マッピングを指定してください{rest!got}"),
    (r"Input should be a valid date(?P<rest>.*)", "日付を指定してください{rest!got}"),
    (r"Input should be greater than or equal to (?P<n>[-\d.]+)(?P<rest>.*)",
     "{n} 以上の値を指定してください{rest!got}"),
    (r"Input should be greater than (?P<n>[-\d.]+)(?P<rest>.*)",
     "{n} より大きい値を指定してください{rest!got}"),
    (r"Input should be finite number(?P<rest>.*)", "有限の数値を指定してください{rest!got}"),
    (r"Input should be (?P<choices>'.+'(?:, '.+')* or '.+')(?P<rest> \(got .*\))",
     "次のいずれかを指定してください: {choices}{rest!got}"),
    (r"Input should be (?P<choice>'[^']*')(?P<rest>.*)",
     "{choice} を指定してください{rest!got}"),
    (r"String should have at least (?P<n>\d+) characters?(?P<rest>.*)",
     "{n} 文字以上で指定してください{rest!got}"),
    (r"String should match pattern '(?P<p>.+)'(?P<rest>.*)",
     "パターン '{p}' に合う値を指定してください{rest!got}"),
    (r"List should have at least (?P<n>\d+) items? after validation, not (?P<m>\d+)(?P<rest>.*)",
     "{n} 個以上の項目が必要です（{m} 個でした）"),
    (r"Value error, (?P<why>.+)", "値が不正です: {why!q}"),
    (r"must not be blank \(only spaces\)(?P<rest>.*)",
     "空白だけの値は指定できません{rest!got}"),
    (r"write the date as YYYY-MM-DD(?P<rest>.*)",
     "日付は YYYY-MM-DD の形式で書いてください{rest!got}"),
    (r"Extra inputs are not permitted(?P<rest>.*)", "このキーは使用できません{rest!got}"),
    (r"Field required", "必須の項目です"),
    # -- models and the catalog ----------------------------------------------------------
    (r"unknown model '(?P<m>.+)'", "未知のモデル '{m}' です"),
    (r"'(?P<m>.+)' is not a catalog id, an alias, or an existing path",
     "'{m}' はカタログの ID、別名、既存のパスのいずれでもありません"),
    (r"no model to check", "確認するモデルがありません"),
    (r"give at least one model id, alias or path",
     "モデルの ID、別名、パスを少なくとも 1 つ指定してください"),
    (r"no model given and no openres.yaml here",
     "モデルが指定されておらず、ここに openres.yaml もありません"),
    (r"give a model id, alias or path, or write an openres.yaml",
     "モデルの ID、別名、パスを指定するか、openres.yaml を作成してください"),
    (r"(?P<f>.+) is a path, not a catalog id", "{f} はパスであり、カタログの ID ではありません"),
    (r"(?P<f>.+) is a license, not a model", "{f} はライセンスであり、モデルではありません"),
    (r"(?P<f>.+) is a folder", "{f} はフォルダです"),
    (r"`catalog show` shows models", "`catalog show` はモデルを表示するコマンドです"),
    (r"`catalog show` looks models up by catalog id or alias only",
     "`catalog show` はカタログの ID または別名でのみモデルを探します"),
    (r"unknown license '(?P<l>.+)'", "未知のライセンス '{l}' です"),
    (r"'(?P<l>.+)' is not in the license registry",
     "'{l}' はライセンスレジストリにありません"),
    (r"no model matches '(?P<t>.+)'", "'{t}' に一致するモデルはありません"),
    (r"the catalog has (?P<n>\d+) problems?", "カタログに問題が {n} 件あります"),
    (r"catalog folder (?P<f>.+) does not exist", "カタログフォルダ {f} がありません"),
    (r"catalog folder (?P<f>.+) has no licenses/ or models/",
     "カタログフォルダ {f} に licenses/ も models/ もありません"),
    (r"'(?P<n>.+)' names both (?P<a>\S+) and (?P<b>\S+)",
     "'{n}' が {a} と {b} の両方を指しています"),
    (r"lineage too deep", "派生関係（系譜）が深すぎます"),
    (r"lineage cycle at (?P<m>.+)", "{m} で派生関係（系譜）が循環しています"),
    (r"cannot fetch (?P<m>.+) from the Hugging Face Hub",
     "{m} を Hugging Face Hub から取得できません"),
    (r"the \[hub\] extra is not installed", "[hub] エクストラがインストールされていません"),
    (r"HF_HUB_OFFLINE is set, so nothing can be fetched",
     "HF_HUB_OFFLINE が設定されているため、取得できません"),
    (r"this path is not a descriptor YAML, a model card, a model folder or a CycloneDX BOM",
     "このパスは記述子 YAML、モデルカード、モデルフォルダ、CycloneDX BOM のいずれでもありません"),
    (r"not a CycloneDX BOM \(bomFormat is not CycloneDX\)",
     "CycloneDX BOM ではありません（bomFormat が CycloneDX ではありません）"),
    (r"the BOM has no component of type machine-learning-model",
     "BOM に machine-learning-model 型のコンポーネントがありません"),
    (r"not a JSON report from openres-check \((?P<why>.+)\)",
     "openres-check の JSON レポートではありません（{why!q}）"),
    (r"not a JSON report from openres-check(?P<rest>.*)",
     "openres-check の JSON レポートではありません{rest!got}"),
    (r"(?P<f>.+) names an unknown hosted service", "{f} が未知のホスト型サービスを指しています"),
    (r"hosted_service names '(?P<s>.+)', which is not a service in the catalog",
     "hosted_service が指す '{s}' はカタログにあるサービスではありません"),
    (r"unknown hosted service '(?P<s>.+)'", "未知のホスト型サービス '{s}' です"),
    (r"'(?P<s>.+)' is neither a service id nor a host of one",
     "'{s}' はサービスの ID でも、そのホストでもありません"),
    (r"no upstream model is recorded for '(?P<t>.+)' on (?P<d>[\d-]+)",
     "'{t}' について {d} 時点の提供元モデルの記録はありません"),
    (r"host (?P<h>\S+) of (?P<s>\S+) is already a host of (?P<o>\S+)",
     "{s} のホスト {h} は、すでに {o} のホストです"),
    ((r"API model name '(?P<n>.+)' is listed by (?P<o>.+), which are not editions of one "
     r"service family"),
     "API のモデル名 '{n}' が {o} に登録されていますが、同じサービスファミリーの版ではありません"),
    (r"(?P<t>\S+) has two upstream models in overlapping periods",
     "{t} の期間が重なる提供元モデルが 2 つあります"),
    (r"catalog folder (?P<f>.+) has no licenses/, models/, services/ or ollama/",
     "カタログフォルダ {f} に licenses/、models/、services/、ollama/ のいずれもありません"),
    (r"a catalog folder holds its entries in licenses/, models/, services/ and ollama/",
     "カタログフォルダの項目は licenses/、models/、services/、ollama/ に置きます"),
    ((r"move license entries to licenses/, model descriptors to models/, hosted services to "
     r"services/ and Ollama mappings to ollama/"),
     ("ライセンス項目は licenses/、モデル記述子は models/、ホスト型サービスは services/、Ollama "
     "の対応表は ollama/ に移してください")),
    (r"run `openres-check catalog services` to list them",
     "一覧は `openres-check catalog services` で確認できます"),
    (r"a host belongs to one service: remove it from one of them",
     "ホストは 1 つのサービスにだけ属します。どちらかから削除してください"),
    (r"give the services one `family`, or remove the name from one of them",
     "サービスに共通の `family` を指定するか、どちらかからその名前を削除してください"),
    (r"give each period `since`/`until` dates that do not overlap",
     "各期間に重ならない `since`/`until` の日付を指定してください"),
    # -- policies, rules, parameters ------------------------------------------------------
    (r"unknown rule '(?P<r>.+)'", "未知のルール '{r}' です"),
    (r"no selected pack has a rule '(?P<r>.+)'", "選択したパックにルール '{r}' はありません"),
    (r"unknown policy pack '(?P<p>.+)'", "未知のポリシーパック '{p}' です"),
    (r"unknown policy parameter", "未知のポリシーパラメータです"),
    (r"bad policy parameter value", "ポリシーパラメータの値が不正です"),
    (r"no selected pack declares the parameter '(?P<p>.+)'",
     "選択したパックにパラメータ '{p}' はありません"),
    (r"two packs share an id", "2 つのパックが同じ ID を使っています"),
    (r"no case files found", "テストケースのファイルが見つかりません"),
    (r"unsupported language '(?P<l>.+)'", "対応していない言語 '{l}' です"),
    (r"lang must be one of (?P<l>.+)", "lang は {l} のいずれかです"),
    # -- dates, arguments -------------------------------------------------------------------
    (r"bad --as-of date '(?P<d>.*)'", "--as-of の日付 '{d}' が不正です"),
    (r"'(?P<d>.*)' is not a date", "'{d}' は日付ではありません"),
    (r"--param '(?P<p>.*)': write NAME=VALUE", "--param '{p}': NAME=VALUE の形で書いてください"),
    (r"--revision pins a Hub revision; it needs --hub",
     "--revision は Hub のリビジョンを固定する指定のため、--hub と一緒に使ってください"),
    (r"--format jsonl is for --inventory; use --format json",
     "--format jsonl は --inventory 用です。--format json を使ってください"),
    ((r"--inventory writes JSON Lines; --format (?P<f>\S+) is for single checks "
     r"\(use --format jsonl\)"),
     ("--inventory は JSON Lines を出力します。--format {f} は単一の確認用です（--format jsonl "
     "を使ってください）")),
    ((r"--inventory checks the models listed in its file; drop the MODEL_REF arguments "
     r"\((?P<m>.+)\) or add them to the inventory"),
     ("--inventory はファイルに記載されたモデルを確認します。MODEL_REF 引数（{m}）を外すか、"
     "インベントリに追加してください")),
    ((r"--lock compares local model folders; an inventory has none, so drop --lock \(or the "
      r"project's lock:\) with --inventory"),
     ("--lock はローカルのモデルフォルダを照合する指定ですが、インベントリにはフォルダが"
      "ありません。--inventory では --lock（またはプロジェクトの lock:）を外してください")),
    ((r"--signer-identity verifies local model folders; an inventory has none, so drop it "
      r"\(or the project's signer_identity:\) with --inventory"),
     ("--signer-identity はローカルのモデルフォルダの署名を検証する指定ですが、インベントリには"
      "フォルダがありません。--inventory ではこの指定（またはプロジェクトの signer_identity:）を"
      "外してください")),
    (r"an expected signer needs an identity and an issuer",
     "想定する署名者には ID と発行者の両方が必要です"),
    (r"the signer identity is missing", "署名者の ID がありません"),
    (r"the signer issuer is missing or not a URL", "署名者の発行者がないか、URL ではありません"),
    ((r"give --signer-identity \(signer_identity in openres.yaml\): the email or URI the "
      r"signing certificate names"),
     ("--signer-identity（openres.yaml では signer_identity）に、署名証明書に記載された"
      "メールアドレスまたは URI を指定してください")),
    ((r"give --signer-issuer \(signer_issuer in openres.yaml\): the OpenID Connect issuer "
      r"URL, e\.g\. (?P<u>\S+)"),
     ("--signer-issuer（openres.yaml では signer_issuer）に、OpenID Connect の発行者の URL"
      "（例: {u}）を指定してください")),
    (r"--baseline is for single checks; --inventory cannot compare with an earlier report",
     "--baseline は単一の確認用です。--inventory では以前のレポートと比較できません"),
    ((r"a MODEL_REF is empty: give a catalog id, an alias or a path "
     r"\(`\.` for the current folder\)"),
     ("空の MODEL_REF があります。カタログの ID、別名、パス（現在のフォルダは `.`）を指定して"
     "ください")),
    ((r"--jobs (?P<j>-?\d+): give a number from 1 to (?P<n>\d+) \(this machine has "
     r"(?P<c>\d+) CPUs; more processes than CPUs only cost memory\)"),
     ("--jobs {j}: 1 から {n} までの数を指定してください（このマシンの CPU は {c} 個です。CPU "
     "より多いプロセスはメモリを消費するだけです）")),
    (r"(?P<flag>--[a-z-]+) '(?P<v>.*)': control characters are not allowed",
     "{flag} '{v}': 制御文字は使用できません"),
    (r"--country '(?P<v>.*)': write an ISO code such as JP",
     "--country '{v}': JP のような ISO コードで書いてください"),
    (r"--(?P<k>[a-z-]+) '(?P<v>.*)': choose one of (?P<c>.+)",
     "--{k} '{v}': 次のいずれかを選んでください: {c}"),
    (r"--model: name at least one model \(a catalog id or a path\)",
     "--model: モデルを少なくとも 1 つ指定してください（カタログの ID またはパス）"),
    (r"openres-check explain: give a RULE-ID, or --list",
     "openres-check explain: RULE-ID を指定するか、--list を付けてください"),
    ((r"(?P<prog>openres-check(?: [a-z]+)*): argument (?P<a>\S+?): invalid choice: (?P<v>'.*') "
     r"\(choose from (?P<c>.+)\)"),
     "{prog}: 引数 {a}: 無効な選択肢 {v} です（選択肢: {c}）"),
    ((r"(?P<prog>openres-check(?: [a-z]+)*): argument (?P<a>\S+?): invalid int value: "
     r"(?P<v>'.*')"), "{prog}: 引数 {a}: 整数ではありません: {v}"),
    (r"(?P<prog>openres-check(?: [a-z]+)*): argument (?P<a>\S+?): expected one argument",
     "{prog}: 引数 {a} には値が 1 つ必要です"),
    (r"(?P<prog>openres-check(?: [a-z]+)*): the following arguments are required: (?P<a>.+)",
     "{prog}: 次の引数が必要です: {a}"),
    (r"(?P<prog>openres-check(?: [a-z]+)*): unrecognized arguments: (?P<a>.+)",
     "{prog}: 認識できない引数です: {a}"),
    (r"(?P<prog>openres-check(?: [a-z]+)*): argument (?P<a>\S+?): (?P<why>.+)",
     "{prog}: 引数 {a}: {why!q}"),
    # -- outputs -----------------------------------------------------------------------------
    (r"the output path is empty", "出力先のパスが空です"),
    (r"cannot write (?P<f>.+): the path ends with a separator",
     "{f} に書き込めません: パスが区切り文字で終わっています"),
    (r"cannot write (?P<f>.+): it is a folder", "{f} に書き込めません: フォルダです"),
    (r"cannot write (?P<f>.+): it is a device, a FIFO or a socket, not a file",
     "{f} に書き込めません: デバイス、FIFO またはソケットであり、ファイルではありません"),
    (r"cannot write (?P<f>.+): it is also an input \((?P<i>.+)\)",
     "{f} に書き込めません: この実行の入力でもあります（{i}）"),
    (r"cannot write the output: (?P<why>.+)", "出力を書き込めません: {why!q}"),
    (r"cannot write (?P<f>.+): (?P<why>.+)", "{f} に書き込めません: {why!q}"),
    (r"openres.yaml exists", "openres.yaml がすでにあります"),
    # -- inventory ---------------------------------------------------------------------------
    (r"no record could be read from the inventory (?P<f>.+)",
     "インベントリ {f} から読み取れたレコードがありません"),
    (r"a malformed record with --strict stops the run",
     "--strict のため、不正なレコードで実行を停止しました"),
    (r"(?P<n>[\d,]+) record\(s\) could not be read, so they were not checked",
     "{n} 件のレコードを読み取れなかったため、確認していません"),
    (r"the checker could not start", "確認処理を開始できませんでした"),
    (r"interrupted", "中断しました"),
    # -- scan --------------------------------------------------------------------------------
    (r"nothing to scan", "スキャンする対象がありません"),
    (r"no such file or folder", "ファイルまたはフォルダがありません"),
    (r"a PATH is empty: give a folder or a file \(`\.` for the current one\)",
     "PATH が空です。フォルダまたはファイルを指定してください（現在のフォルダは `.`）"),
    (r"--format jsonl is for `check --inventory`; use --format json",
     "--format jsonl は `check --inventory` 用です。--format json を使ってください"),
    (r"cannot compare with (?P<f>.+)", "{f} と比較できません"),
    (r"not valid Python, skipped \((?P<why>\w+)\)",
     "Python として不正なため読み飛ばしました（{why}）"),
    (r"YAML not read \((?P<why>.+)\); its command lines are still scanned",
     "YAML として読めませんでした（{why!q}）。コマンド行は引き続き走査しました"),
    (r"not a readable (?P<what>GGUF|safetensors) header: (?P<why>.+)",
     "{what} ヘッダーを読み取れません: {why!q}"),
    (r"not an Ollama manifest \((?P<why>\w+)\)", "Ollama のマニフェストではありません（{why}）"),
    (r"the model layer (?P<blob>\S+) has no readable GGUF header \((?P<why>.+)\)",
     "モデルレイヤー {blob} の GGUF ヘッダーを読み取れません（{why!q}）"),
    (r"cannot list it: (?P<why>.+)", "一覧を取得できません: {why!q}"),
    (r"nests too deeply to be read", "入れ子が深すぎて読み取れません"),
    (r"give folders or files that exist \(default: the current folder\)",
     "存在するフォルダまたはファイルを指定してください（既定: 現在のフォルダ）"),
    (r"write one with `openres-check scan --format json --output base\.json`",
     "`openres-check scan --format json --output base.json` で作成してください"),
    # -- hints -------------------------------------------------------------------------------
    (r"run `openres-check --help` for usage", "使い方は `openres-check --help` で確認できます"),
    (r"did you mean: (?P<s>.+)\?", "もしかして: {s}"),
    (r"did you mean (?P<s>.+)\?", "もしかして: {s}"),
    (r"allowed keys here: (?P<k>.+)", "ここで使えるキー: {k}"),
    (r"write the output to another file", "出力は別のファイルに書いてください"),
    (r"give a file name, such as (?P<f>.+)", "{f} のようにファイル名を指定してください"),
    (r"give a file name, or `-` for standard output",
     "ファイル名を指定するか、標準出力には `-` を指定してください"),
    (r"give a regular file, or `-` for standard output",
     "通常のファイルを指定するか、標準出力には `-` を指定してください"),
    (r"check that the folder exists and is writable",
     "フォルダが存在し、書き込めることを確認してください"),
    (r"free some space, or write to another file or device",
     "空き容量を確保するか、別のファイルまたはデバイスに書いてください"),
    (r"check the path and the current folder", "パスと現在のフォルダを確認してください"),
    (r"check its permissions, or pass another path",
     "アクセス権を確認するか、別のパスを指定してください"),
    (r"check the file's permissions", "ファイルのアクセス権を確認してください"),
    (r"check the indentation and quoting near this line",
     "この行付近のインデントと引用符を確認してください"),
    (r"check the nesting of the document", "ドキュメントの入れ子を確認してください"),
    (r"write a YAML mapping, or `\{\}` for an intentionally empty one",
     "YAML のマッピングを書いてください（意図して空にする場合は `{{}}`）"),
    (r"write the context as `key: value` lines",
     "コンテキストは `key: value` の行で書いてください"),
    (r"use plain YAML values: strings, numbers, booleans, dates, lists and maps",
     "文字列、数値、真偽値、日付、リスト、マッピングなどの通常の YAML の値を使ってください"),
    (r"save the file as UTF-8", "ファイルを UTF-8 で保存してください"),
    (r"remove one of them", "どちらか一方を削除してください"),
    (r"flatten the document", "ドキュメントの入れ子を浅くしてください"),
    (r"write the values out instead of repeating anchors",
     "アンカーを繰り返さず、値をそのまま書いてください"),
    (r"split the file", "ファイルを分割してください"),
    (r"pass a regular file", "通常のファイルを指定してください"),
    (r"write it as YYYY-MM-DD", "YYYY-MM-DD の形式で書いてください"),
    (r"write an ISO 3166-1 alpha-2 code such as JP, DE or US \(EU for the Union\)",
     "JP、DE、US のような ISO 3166-1 alpha-2 コードで書いてください（EU 全体は EU）"),
    (r"write the text as UTF-8, or escape a whole surrogate pair",
     "テキストを UTF-8 で書くか、サロゲートペア全体をエスケープしてください"),
    (r"write one with `openres-check check \.\.\. --format json --output baseline\.json`",
     "`openres-check check ... --format json --output baseline.json` で作成してください"),
    (r"write one JSON object per line, or a YAML stream of descriptors or Hub listing records",
     ("1 行に 1 つの JSON オブジェクトを書くか、記述子または Hub の一覧レコードの YAML "
     "ストリームにしてください")),
    (r"pass a JSON Lines or YAML file", "JSON Lines または YAML のファイルを指定してください"),
    ((r"fix the lines above, or pass --skip-invalid to check the rest and let the gate decide "
     r"on those alone"),
     ("上の行を修正するか、--skip-invalid を付けて残りを確認し、その結果だけでゲートを判定して"
     "ください")),
    (r"e\.g\. `openres-check check (?P<m>\S+)`, or `openres-check init`",
     "例: `openres-check check {m}`、または `openres-check init`"),
    (r"e\.g\. openres-check check (?P<m>\S+)", "例: openres-check check {m}"),
    ((r"run `openres-check catalog search TEXT`, or pass a path to a model folder, a model "
     r"card or a descriptor YAML"),
     ("`openres-check catalog search TEXT` で探すか、モデルフォルダ、モデルカード、記述子 YAML "
     "のパスを指定してください")),
    ((r"run `openres-check check (?P<p>.+) to check it, or pass its catalog folder with "
     r"--catalog DIR and show it by id"),
     ("`openres-check check {p} で確認するか、--catalog DIR でそのカタログフォルダを指定して ID "
     "で表示してください")),
    (r"run `openres-check catalog licenses (?P<l>\S+)` to see the license's facts",
     "ライセンスの事実は `openres-check catalog licenses {l}` で確認できます"),
    (r"known parameters: (?P<p>.+)", "使えるパラメータ: {p}"),
    (r"pass case files, or folders that hold \*\.yaml case files",
     "テストケースのファイル、または *.yaml のテストケースを含むフォルダを指定してください"),
    (r"pass --force to overwrite it", "上書きするには --force を付けてください"),
    ((r"this is a bug in openres-check; run again with OPENRES_CHECK_DEBUG=1 to see the "
     r"traceback, and report it"),
     ("openres-check の不具合です。OPENRES_CHECK_DEBUG=1 を付けて再実行するとトレースバックが"
     "表示されます。報告してください")),
    (r"check that the file is a CycloneDX JSON BOM",
     "ファイルが CycloneDX の JSON BOM であることを確認してください"),
    (r"pass a catalog id, or one of those files",
     "カタログの ID か、それらのファイルのいずれかを指定してください"),
    (r"give a number from (?P<a>\d+) to (?P<b>\d+)", "{a} から {b} までの数を指定してください"),
)

# What a file is supposed to be, as `_loading` names it.
_NOUNS = {"context": "コンテキスト", "waivers file": "例外承認ファイル", "waivers": "例外承認",
          "waiver": "例外承認", "project file": "プロジェクトファイル（openres.yaml）",
          "model descriptor": "モデル記述子", "policy pack": "ポリシーパック",
          "policy test file": "ポリシーのテストケースファイル",
          "inventory record": "インベントリのレコード",
          "license entry": "ライセンス項目", "LicenseTerms": "ライセンス項目",
          "ModelDescriptor": "モデル記述子", "Context": "コンテキスト",
          "catalog entry": "カタログ項目"}

_COMPILED = tuple((re.compile(pattern), template) for pattern, template in _TABLE)
_FIELD = re.compile(r"\{(?P<name>\w+)(?:!(?P<how>\w+))?\}")
_GOT = re.compile(r" \(got (?P<v>.*)\)")


def _fill(template: str, match: re.Match[str]) -> str:
    def value(field: re.Match[str]) -> str:
        text = match.group(field.group("name")) or ""
        how = field.group("how")
        if how == "q":  # someone else's wording: quoted, not translated
            return f"「{text}」"
        if how == "noun":
            return _NOUNS.get(text, f"「{text}」")
        if how == "got":  # pydantic's " (got 'many')" suffix
            got = _GOT.fullmatch(text)
            return f"（入力値: {got.group('v')}）" if got else ""
        return text

    return _FIELD.sub(value, template).replace("{{}}", "{}")


def translate_message(message: str) -> str:
    """`message` in Japanese when its shape is known; unchanged otherwise."""
    if len(message) > _MAX_LINE:
        return message
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(message)
        if match is not None:
            return _fill(template, match)
    return message


_STATUS = {"fail": "不適合", "review": "要確認", "pass": "適合", "waived": "例外承認済み",
           "not_applicable": "対象外", "critical": "重大", "high": "高", "medium": "中",
           "low": "低", "info": "情報"}


def _counts(text: str) -> str:
    return re.sub(r"\b(not_applicable|fail|review|pass|waived|critical|high|medium|low|info)\b",
                  lambda m: _STATUS[m.group()], text)


_LINES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(?P<loc>.*?): (?P<kind>error|warning)\[(?P<code>[a-z0-9-]+)\]: (?P<msg>.*)"),
     lambda m: f"{m['loc']}: {'エラー' if m['kind'] == 'error' else '警告'}[{m['code']}]: "
               f"{translate_message(m['msg'])}"),
    (re.compile(r"(?P<kind>error|warning|internal error): (?P<msg>.*)"),
     lambda m: {"error": "エラー", "warning": "警告", "internal error": "内部エラー"}[m["kind"]]
     + ": " + translate_message(m["msg"])),
    (re.compile(r"(?P<indent>\s*)hint: (?P<msg>.*)"),
     lambda m: f"{m['indent']}ヒント: {translate_message(m['msg'])}"),
    (re.compile(r"(?P<loc>.+?):(?P<line>\d+): skipped: (?P<msg>.*)"),
     lambda m: f"{m['loc']}:{m['line']}: スキップ: {translate_message(m['msg'])}"),
    (re.compile(r"(?P<n>[\d,]+) records checked, (?P<s>[\d,]+) skipped"),
     lambda m: f"{m['n']} 件を確認、{m['s']} 件をスキップしました"),
    (re.compile(r"findings by status: ?(?P<c>.*)"),
     lambda m: f"ステータス別の検出事項: {_counts(m['c']) or 'なし'}"),
    (re.compile(r"findings by severity: ?(?P<c>.*)"),
     lambda m: f"重大度別の検出事項: {_counts(m['c']) or 'なし'}"),
    (re.compile(r"records by license: ?(?P<c>.*)"),
     lambda m: f"ライセンス別のレコード数: {m['c'] or 'なし'}"),
    (re.compile(r"usage: (?P<rest>.*)"), lambda m: f"使い方: {m['rest']}"),
)


def localize(text: str) -> str:
    """Diagnostic text (one or more lines) in Japanese, line by line."""
    out = []
    for line in text.split("\n"):
        translated = line
        if len(line) <= _MAX_LINE:
            for pattern, render in _LINES:
                match = pattern.fullmatch(line)
                if match is not None:
                    translated = render(match)
                    break
            else:
                translated = translate_message(line)
        out.append(translated)
    return "\n".join(out)
