using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Simlane.Core.Errors;

/// <summary>
/// The Japanese text of error messages (SORACOM answers in Japanese when a request carries
/// <c>X-Soracom-Lang: ja</c>). Errors are thrown with English messages that name a field or value; each
/// message kind has one English template here with its Japanese counterpart, and the placeholders carry the
/// specifics (field, value, limit) across unchanged. A message that is exactly a code's title answers that
/// code's <see cref="ErrorCode.TitleJa"/>. A test scans the sources so that every message thrown has a template.
/// </summary>
public static partial class ErrorMessages
{
    /// <summary>English template, Japanese template; placeholders are <c>{name}</c> and must match.</summary>
    private static readonly (string En, string Ja)[] Templates =
    [
        // Fields: required, types, emptiness.
        ("{field} is required", "{field} は必須です"),
        ("{field} is required (epoch seconds)", "{field} は必須です (エポック秒)"),
        ("{field}: is required ({owner})", "{field}: {owner} では必須です"),
        ("{field}: is required for {owner}", "{field}: {owner} では必須です"),
        ("{field}: is required when {other} is given", "{field}: {other} を指定するときは必須です"),
        ("{field}: requires {other}", "{field}: {other} も指定してください"),
        ("{field}: no value given", "{field}: 値が指定されていません"),
        ("{field} must be a string", "{field} は文字列で指定してください"),
        ("{field}: must be a string", "{field}: 文字列で指定してください"),
        ("{field}: must be a string ({owner})", "{field}: 文字列で指定してください ({owner})"),
        ("{field} must be an object", "{field} はオブジェクトで指定してください"),
        ("{field}: must be an object", "{field}: オブジェクトで指定してください"),
        ("{field}: must be an object ({owner})", "{field}: オブジェクトで指定してください ({owner})"),
        ("{field}: must be a JSON object", "{field}: JSON オブジェクトで指定してください"),
        ("{field}: must be an array", "{field}: 配列で指定してください"),
        ("{field}: must be true or false ({owner})", "{field}: true または false を指定してください ({owner})"),
        ("{field}: must be an object of header names and values, or a string holding one ({owner})", "{field}: ヘッダー名と値のオブジェクト、またはそれを表す文字列で指定してください ({owner})"),
        ("{field} must not be empty", "{field} は空にできません"),
        ("{field}: must not be empty", "{field}: 空にはできません"),
        ("{field}: tag names must not be empty", "{field}: タグ名は空にできません"),
        ("[{index}] must be an object with {first} and {second}", "[{index}] は {first} と {second} を持つオブジェクトで指定してください"),
        ("{field}: not used by {owner}", "{field}: {owner} では使用しない項目です"),
        ("{field}: cannot be given with {other} NEVER ({owner})", "{field}: {other} が NEVER のときは指定できません ({owner})"),

        // Values: sets, ranges, lengths, formats.
        ("{field}: '{value}' is not one of {allowed}", "{field}: '{value}' は指定できません。{allowed} のいずれかを指定してください"),
        ("{field}: '{value}' is not one of {allowed} ({owner})", "{field}: '{value}' は指定できません。{allowed} のいずれかを指定してください ({owner})"),
        ("{field}: '{value}' is not allowed; use one of {allowed} ({owner})", "{field}: '{value}' は指定できません。{allowed} のいずれかを指定してください ({owner})"),
        ("{field}: unknown status '{value}'", "{field}: '{value}' は不明なステータスです"),
        ("{field}: '{value}' is not a rule type", "{field}: '{value}' はルールの種類ではありません"),
        ("{field}: '{value}' is not an action type", "{field}: '{value}' はアクションの種類ではありません"),
        ("{field}: '{value}' is not a speed class", "{field}: '{value}' は速度クラスではありません"),
        ("{field}: '{value}' is not valid for {plan}", "{field}: '{value}' は {plan} では使用できません"),
        ("{field}: '{value}' is not a bundle of {plan}", "{field}: '{value}' は {plan} のバンドルではありません"),
        ("{field}: '{value}' does not match subscription '{plan}'", "{field}: '{value}' はサブスクリプション '{plan}' と一致しません"),
        ("{field}: '{value}' is not a non-negative integer", "{field}: '{value}' は 0 以上の整数ではありません"),
        ("{field}: '{value}' is not 15 digits", "{field}: '{value}' は 15 桁の数字ではありません"),
        ("{field}: '{value}' is not 15 digits (optionally followed by {suffix})", "{field}: '{value}' は 15 桁の数字 (末尾に {suffix} を付けてもよい) ではありません"),
        ("{field}: '{value}' is not an IP address", "{field}: '{value}' は IP アドレスではありません"),
        ("{field}: '{value}' is not a valid email address", "{field}: '{value}' は正しいメールアドレスではありません"),
        ("{field}: '{value}' is not a key of this list", "{field}: '{value}' はこの一覧のキーではありません"),
        ("{field}: '{value}' is the primary subscription, which has no OTA status", "{field}: '{value}' はプライマリサブスクリプションのため OTA ステータスがありません"),
        ("{field}: unknown IMSI '{value}'", "{field}: '{value}' は不明な IMSI です"),
        ("{field}: each search value must be at least 2 characters, not '{value}'", "{field}: 検索値は 2 文字以上で指定してください ('{value}' は指定できません)"),
        ("{field}: must be an integer from {min} to {max}, not '{value}'", "{field}: {min} から {max} までの整数を指定してください ('{value}' は指定できません)"),
        ("{field}: must be an integer from {min} to {max} ({owner})", "{field}: {min} から {max} までの整数を指定してください ({owner})"),
        ("{field} must be between {min} and {max}, not {value}", "{field} は {min} から {max} の範囲で指定してください ({value} は指定できません)"),
        ("{field}: must be {min} to {max} characters", "{field}: {min} 文字から {max} 文字で指定してください"),
        ("{field}: must be 1 to {max} letters, digits, '_', '.' or '-'", "{field}: 英数字、'_'、'.'、'-' の 1 文字から {max} 文字で指定してください"),
        ("{field}: must be a non-empty string of at most {max} characters", "{field}: {max} 文字以内の空でない文字列で指定してください"),
        ("{field}: at most {max} characters", "{field}: {max} 文字以内で指定してください"),
        ("{field}: longer than {max} characters", "{field}: {max} 文字を超えています"),
        ("{field}: not allowed with batchId (the batch is de-duplicated as a whole)", "{field}: batchId と同時には指定できません (バッチ全体で重複を判定します)"),
        ("{field} must not be negative", "{field} に負の値は指定できません"),
        ("{field}: must not be negative", "{field}: 負の値は指定できません"),
        ("{field}: at most {max} in one record", "{field}: 1 レコードあたり {max} までです"),
        ("{field}: more than {seconds} seconds in the future", "{field}: {seconds} 秒より先の未来は指定できません"),
        ("{field}: older than the de-duplication window of {days} days", "{field}: 重複排除の保持期間 ({days} 日) より古いレコードは受け付けられません"),
        ("{field}: must be a time (epoch ms) in the future, not {value}", "{field}: 未来の時刻 (エポックミリ秒) を指定してください ({value} は指定できません)"),
        ("{field} is too large", "{field} が大きすぎます"),
        ("{field} must not be after {other}", "{field} は {other} より後にできません"),
        ("{field}: period {period} looks back at most {limit} from now", "{field}: period が {period} のときに遡れるのは現在から {limit} までです"),
        ("{field}: must be one e-mail address, not '{value}' ({owner})", "{field}: メールアドレスを 1 つだけ指定してください ('{value}' は指定できません) ({owner})"),
        ("{field}: must be an http:// or https:// URL ({owner})", "{field}: http:// または https:// の URL を指定してください ({owner})"),
        ("{field}: only allowed with httpMethod POST or PUT, not {method} ({owner})", "{field}: httpMethod が POST または PUT のときだけ指定できます ({method} では指定できません) ({owner})"),
        ("'{value}' is not a month in the form yyyyMM", "'{value}' は yyyyMM 形式の月ではありません"),
        ("expiryTime {value} is not after the current time {now}", "expiryTime {value} が現在時刻 {now} より後ではありません"),
        ("The requested time is beyond year 9999", "指定された時刻が 9999 年を超えています"),
        ("dataTrafficStatsMap is required and must name at least one speed class", "dataTrafficStatsMap は必須です。速度クラスを 1 つ以上指定してください"),

        // Request bodies.
        ("A JSON request body is required", "JSON のリクエストボディが必要です"),
        ("The request body must be a JSON object", "リクエストボディは JSON オブジェクトで指定してください"),
        ("The request body must be a JSON object, not null", "リクエストボディは null ではなく JSON オブジェクトで指定してください"),
        ("The request body must be a JSON array", "リクエストボディは JSON 配列で指定してください"),
        ("The request body has a value of the wrong type", "リクエストボディに型の正しくない値があります"),
        ("The request body exceeds {max} MiB", "リクエストボディが {max} MiB を超えています"),
        ("{field}: wrong type", "{field}: 値の型が正しくありません"),
        ("{field}: invalid JSON", "{field}: JSON として正しくありません"),

        // Resources that do not exist (or are another operator's).
        ("No SIM '{id}'", "SIM '{id}' は存在しません"),
        ("No subscriber '{id}'", "サブスクライバー '{id}' は存在しません"),
        ("No subscriber '{id}' on SIM '{sim}'", "SIM '{sim}' にサブスクライバー '{id}' は存在しません"),
        ("No such SIM or subscriber '{id}'", "SIM またはサブスクライバー '{id}' は存在しません"),
        ("No group '{id}'", "グループ '{id}' は存在しません"),
        ("No AuthKey '{id}'", "AuthKey '{id}' は存在しません"),
        ("No current session '{id}'", "現在のセッション '{id}' は存在しません"),
        ("No event handler '{id}'", "イベントハンドラー '{id}' は存在しません"),
        ("No key '{key}' in namespace '{namespace}'", "名前空間 '{namespace}' にキー '{key}' は存在しません"),
        ("No profile '{id}' on SIM '{sim}'", "SIM '{sim}' にプロファイル '{id}' は存在しません"),
        ("No tag named '{name}'", "タグ '{name}' は存在しません"),
        ("No credential set '{id}'", "認証情報セット '{id}' は存在しません"),
        ("Credential set '{id}' already exists; update it with PUT {path}", "認証情報セット '{id}' はすでに存在します。PUT {path} で更新してください"),
        ("No action {index} of execution '{execution}' of event handler '{id}'", "イベントハンドラー '{id}' の実行 '{execution}' にアクション {index} は存在しません"),
        ("Namespace '{namespace}' is not set on the group", "名前空間 '{namespace}' はグループに設定されていません"),
        ("There is no charge for {month}", "{month} の利用料金はありません"),
        ("{field}: no such {kind} '{id}'", "{field}: {kind} '{id}' は存在しません"),
        ("IMSI '{imsi}' is not ignored by event handler '{id}'", "IMSI '{imsi}' はイベントハンドラー '{id}' で除外されていません"),
        ("Invalid operator ID '{id}'", "オペレーター ID '{id}' が正しくありません"),
        ("Invalid event handler ID '{id}'", "イベントハンドラー ID '{id}' が正しくありません"),

        // Business rules.
        ("Cannot change status from {from} to {to}: {reason}", "ステータスを {from} から {to} に変更できません: {reason}"),
        ("A {plan} SIM cannot carry additional subscriptions", "{plan} の SIM にはサブスクリプションを追加できません"),
        ("The SIM already has a {plan} subscription", "この SIM にはすでに {plan} のサブスクリプションがあります"),
        ("{plan} is for virtual SIMs only", "{plan} はバーチャル SIM 専用です"),
        ("Unknown subscription '{value}'", "'{value}' は不明なサブスクリプションです"),
        ("Unknown configuration namespace '{value}'; expected one of {allowed}", "'{value}' は不明な設定の名前空間です。{allowed} のいずれかを指定してください"),
        ("Group '{id}' still has SIMs; remove them with unset_group first", "グループ '{id}' には SIM が所属しています。先に unset_group で外してください"),
        ("The group configuration would be {size} bytes; the limit is {max}", "グループの設定が {size} バイトになります。上限は {max} バイトです"),
        ("{email} is already registered", "{email} はすでに登録されています"),
        ("The clock is at {now}; it cannot move back to {target}", "時計は {now} です。{target} に戻すことはできません"),
        ("{field}: {count} records; a batch holds at most {max}", "{field}: レコードが {count} 件あります。1 つのバッチは {max} 件までです"),
        ("Specify exactly one of {fields} (none given)", "{fields} のいずれか 1 つだけを指定してください (指定されていません)"),
        ("Specify exactly one of {fields} (got {given})", "{fields} のいずれか 1 つだけを指定してください ({given} が指定されました)"),
        ("{field}: '{id}' is an added (secondary) subscription; target its SIM with targetSimId instead", "{field}: '{id}' は追加 (セカンダリ) サブスクリプションです。代わりに targetSimId でその SIM を対象にしてください"),
        ("{field}: {rule} cannot target {kind}; it takes {fields}", "{field}: {rule} は {kind} を対象にできません。{fields} を使用してください"),
        ("{field}: '{id}' already has {max} event handlers, the most allowed", "{field}: '{id}' のイベントハンドラーはすでに上限の {max} 個あります"),
        ("{field}: at least one action is required", "{field}: アクションを 1 つ以上指定してください"),
        ("{field}: at most {max} actions, got {count}", "{field}: アクションは {max} 個までです ({count} 個指定されました)"),
        ("{field}: ImeiLockAction needs ruleConfig.type SubscriberSessionStatusRule with hasImei true ({owner})", "{field}: ImeiLockAction には hasImei が true の SubscriberSessionStatusRule (ruleConfig.type) が必要です ({owner})"),
        ("ImeiLockAction: the firing carries no IMEI (the session had none)", "ImeiLockAction: 発火に IMEI がありません (セッションに IMEI がありませんでした)"),
        ("{type} is not a SIM action", "{type} は SIM アクションではありません"),
        ("The action is {state}; only a dead or failed action can be retried", "アクションは {state} です。再実行できるのは dead または failed のアクションだけです"),
        ("The export exceeds the limit of {max} bytes (Simlane:Exports:MaxBytes); narrow the period or the period unit", "エクスポートが上限の {max} バイトを超えています (Simlane:Exports:MaxBytes)。期間または集計単位を狭めてください"),
        ("No exported file '{id}', or the download link is invalid or expired", "エクスポートされたファイル '{id}' が存在しないか、ダウンロードリンクが無効または期限切れです"),
        ("{fields} must be non-negative epoch seconds", "{fields} は 0 以上のエポック秒で指定してください"),
        // Input limits (docs/api.md, "Limits").
        ("The clock cannot move beyond {range}", "時計を {range} の範囲外に進めることはできません"),
        ("At most {max} tags in one request, not {count}", "1 回のリクエストで指定できるタグは {max} 個までです ({count} 個指定されました)"),
        ("{field}: at most {max} tags, not {count}", "{field}: タグは {max} 個までです ({count} 個指定されました)"),
        ("{field}: each search value must be at most {max} characters", "{field}: 検索値はそれぞれ {max} 文字以下で指定してください"),
        ("{field}: at most {max} search values", "{field}: 検索値は {max} 個までです"),
        ("{field}: {value} is beyond {range} (epoch ms)", "{field}: {value} は {range} の範囲外です (エポックミリ秒)"),
        ("{field}: {value} is beyond {range} (epoch seconds)", "{field}: {value} は {range} の範囲外です (エポック秒)"),
        ("{field}: {value} is outside {range} (epoch ms)", "{field}: {value} は {range} の範囲外です (エポックミリ秒)"),
        ("{field}: {value} is outside {range} (epoch seconds)", "{field}: {value} は {range} の範囲外です (エポック秒)"),
        ("{field}: control characters (U+{code}) are not allowed", "{field}: 制御文字 (U+{code}) は使用できません"),
        ("{field}: at most {max} characters, not {count}", "{field}: {max} 文字以下で指定してください ({count} 文字指定されました)"),
        ("The request body is not valid UTF-8", "リクエストボディが正しい UTF-8 ではありません"),
        ("The request body has the key '{key}' twice in one object", "リクエストボディの 1 つのオブジェクトにキー '{key}' が 2 回含まれています"),
        ("The request body has a string that is not valid Unicode", "リクエストボディに正しい Unicode ではない文字列が含まれています"),
        ("The request body has a string with a NUL character (\\u0000)", "リクエストボディの文字列に NUL 文字 (\\u0000) が含まれています"),
        ("The request body has a string with an unpaired surrogate (\\ud800-\\udfff)", "リクエストボディの文字列に対になっていないサロゲート (\\ud800-\\udfff) が含まれています"),
        ("Too many requests to the {group} API group: at most {limit} in {window} seconds; retry in {seconds} seconds", "API グループ {group} へのリクエストが多すぎます。{window} 秒あたり {limit} 回までです。{seconds} 秒後に再度お試しください"),
    ];

    /// <summary>Longer messages answer the code's Japanese title with the English message after it.</summary>
    public const int MaxTranslatedLength = 4096;

    private static readonly IReadOnlyList<Template> Compiled = Compile();

    private static readonly Dictionary<string, string> TitlesJa = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorCode))
        .Select(f => (ErrorCode)f.GetValue(null)!)
        .ToDictionary(c => c.Title, c => c.TitleJa, StringComparer.Ordinal);

    /// <summary>True for <c>X-Soracom-Lang</c> values that ask for Japanese: <c>ja</c> or <c>ja-*</c>, any case.</summary>
    public static bool IsJapanese(string? language)
    {
        var value = language?.Trim();
        return value is not null
            && (value.Equals("ja", StringComparison.OrdinalIgnoreCase) || value.StartsWith("ja-", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The message a client reads: <paramref name="message"/> (or the title) in English, or its Japanese text.</summary>
    public static string Localize(ErrorCode error, string? message, string? language)
    {
        var english = string.IsNullOrEmpty(message) ? error.Title : message;
        if (!IsJapanese(language))
        {
            return english;
        }

        // A message kind Simlane does not know (a framework's text, say) still answers the code's Japanese
        // title, with the English detail after it so that nothing the client needs is lost.
        return TryTranslate(english, out var japanese) ? japanese : $"{error.TitleJa} ({english})";
    }

    /// <summary>The Japanese text of an English message, if it is a code's title or matches a template.</summary>
    public static bool TryTranslate(string english, out string japanese)
    {
        if (TitlesJa.TryGetValue(english, out var title))
        {
            japanese = title;
            return true;
        }

        // Messages echo client values; past this length matching could cost more than it is worth.
        japanese = english;
        if (english.Length > MaxTranslatedLength)
        {
            return false;
        }

        foreach (var template in Compiled)
        {
            Match match;
            try
            {
                match = template.Pattern.Match(english);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }

            if (!match.Success)
            {
                continue;
            }

            japanese = PlaceholderPattern().Replace(template.Ja, p =>
            {
                var value = match.Groups[p.Groups[1].Value].Value;
                return TitlesJa.TryGetValue(value, out var nested) ? nested : value;
            });
            return true;
        }

        return false;
    }

    /// <summary>Template pairs whose placeholders differ (for the catalogue test); empty when all are consistent.</summary>
    public static IReadOnlyList<string> InconsistentTemplates() =>
    [
        .. Templates
            .Where(t => !Placeholders(t.En).Order(StringComparer.Ordinal).SequenceEqual(Placeholders(t.Ja).Order(StringComparer.Ordinal))
                || Placeholders(t.En).Count != Placeholders(t.En).Distinct(StringComparer.Ordinal).Count())
            .Select(t => t.En),
        .. Templates.GroupBy(t => t.En, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key} (listed twice)"),
    ];

    private static List<string> Placeholders(string template) =>
        [.. PlaceholderPattern().Matches(template).Select(m => m.Groups[1].Value)];

    /// <summary>The most specific template first: the one with the most literal text.</summary>
    private static List<Template> Compile() =>
    [
        .. Templates
            .OrderByDescending(t => PlaceholderPattern().Replace(t.En, "").Length)
            .Select(t => new Template(ToRegex(t.En), t.Ja)),
    ];

    private static Regex ToRegex(string template)
    {
        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match placeholder in PlaceholderPattern().Matches(template))
        {
            pattern.Append(Regex.Escape(template[last..placeholder.Index]));
            pattern.Append("(?<").Append(placeholder.Groups[1].Value).Append(">.+?)");
            last = placeholder.Index + placeholder.Length;
        }

        pattern.Append(Regex.Escape(template[last..])).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
    }

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex PlaceholderPattern();

    private sealed record Template(Regex Pattern, string Ja);
}
