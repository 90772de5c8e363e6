namespace Simlane.Core.Errors;

/// <summary>
/// Every error code Simlane answers with. Codes are stable: a client may switch on them. Add new
/// failures as new codes with their English and Japanese titles (and a row in docs/errors.md); never reuse a
/// code for another meaning. A specific message thrown with a code needs a template in <see cref="ErrorMessages"/>.
/// </summary>
public static class ErrorCodes
{
    // Authentication (AUM)
    public static readonly ErrorCode CredentialsRequired = new("AUM0001", 401, "X-Soracom-API-Key and X-Soracom-Token are required", "X-Soracom-API-Key と X-Soracom-Token を指定してください");
    public static readonly ErrorCode InvalidEmailOrPassword = new("AUM0002", 401, "Invalid email address or password", "メールアドレスまたはパスワードが正しくありません");
    public static readonly ErrorCode EmailAlreadyRegistered = new("AUM0003", 400, "The email address is already registered", "このメールアドレスはすでに登録されています");
    public static readonly ErrorCode InvalidAuthKey = new("AUM0005", 401, "Invalid AuthKeyId or AuthKey", "AuthKeyId または AuthKey が正しくありません");
    public static readonly ErrorCode InvalidToken = new("AUM0006", 401, "The API key or token is invalid, expired or revoked", "API キーまたはトークンが無効か、有効期限が切れているか、失効しています");
    public static readonly ErrorCode InvalidAuthRequest = new("AUM0007", 400, "Specify email and password, or authKeyId and authKey", "email と password、または authKeyId と authKey を指定してください");
    public static readonly ErrorCode InvalidTokenTimeout = new("AUM0008", 400, "tokenTimeoutSeconds must be between 180 and 172800", "tokenTimeoutSeconds は 180 から 172800 の範囲で指定してください");
    public static readonly ErrorCode SamUsersUnsupported = new("AUM0009", 401, "SAM users are not supported by this server", "SAM ユーザーはこのサーバーではサポートされていません");
    public static readonly ErrorCode InvalidOperatorId = new("AUM0010", 400, "Invalid operator ID", "オペレーター ID が正しくありません");
    public static readonly ErrorCode AuthKeyNotFound = new("AUM0011", 404, "No such AuthKey", "指定された AuthKey は存在しません");
    public static readonly ErrorCode LastAuthKey = new("AUM0012", 400, "An operator without a password must keep at least one AuthKey", "パスワードのないオペレーターには AuthKey が少なくとも 1 つ必要です");
    public static readonly ErrorCode WrongCurrentPassword = new("AUM0013", 400, "Invalid password: currentPassword does not match", "パスワードが正しくありません: currentPassword が一致しません");
    public static readonly ErrorCode InvalidNewPassword = new("AUM0014", 400, "newPassword must be 8 to 100 characters without control characters", "newPassword は制御文字を含まない 8 文字以上 100 文字以下で指定してください");

    // Request shape (COM)
    public static readonly ErrorCode MalformedJson = new("COM0001", 400, "The request body is not valid JSON", "リクエストボディが正しい JSON ではありません");
    public static readonly ErrorCode MissingField = new("COM0002", 400, "A required field is missing", "必須の項目が指定されていません");
    public static readonly ErrorCode InternalError = new("COM0003", 500, "Internal server error", "サーバー内部でエラーが発生しました");
    public static readonly ErrorCode InvalidField = new("COM0004", 400, "A field has an invalid value", "項目の値が正しくありません");
    public static readonly ErrorCode BodyTooLarge = new("COM0005", 413, "The request body exceeds 1 MiB", "リクエストボディが 1 MiB を超えています");
    public static readonly ErrorCode UnsupportedMediaType = new("COM0006", 415, "The request body must be application/json", "リクエストボディは application/json で送信してください");
    public static readonly ErrorCode InvalidQueryParameter = new("COM0007", 400, "A query parameter has an invalid value", "クエリパラメーターの値が正しくありません");
    public static readonly ErrorCode EmailMalformed = new("COM0008", 400, "Malformed email address", "メールアドレスの形式が正しくありません");
    public static readonly ErrorCode RouteNotFound = new("COM0009", 404, "No such API", "指定された API は存在しません");
    public static readonly ErrorCode MethodNotAllowed = new("COM0010", 405, "The method is not allowed for this API", "この API ではこの HTTP メソッドを使用できません");
    public static readonly ErrorCode InvalidRequest = new("COM0011", 400, "The request is invalid", "リクエストが正しくありません");
    public static readonly ErrorCode InvalidPaginationKey = new("COM0012", 400, "last_evaluated_key is not valid for this list", "last_evaluated_key はこの一覧のキーではありません");
    public static readonly ErrorCode Conflict = new("COM0013", 409, "The resource was changed concurrently; retry the request", "リソースが同時に変更されました。もう一度リクエストしてください");
    public static readonly ErrorCode TooManyRequests = new("COM0014", 429, "Too many requests; wait until the rate limit window refreshes", "リクエストが多すぎます。レート制限の期間が更新されるまで待ってから再度お試しください");
    public static readonly ErrorCode UrlTooLong = new("COM0015", 414, "The URL exceeds 8 KiB", "URL が 8 KiB を超えています");
    public static readonly ErrorCode HeadersTooLarge = new("COM0016", 431, "The request headers exceed 32 KiB or 100 fields", "リクエストヘッダーが 32 KiB または 100 個を超えています");
    public static readonly ErrorCode InvalidPath = new("COM0017", 400, "The path contains a NUL or another control character", "パスに NUL またはその他の制御文字が含まれています");
    public static readonly ErrorCode HttpError = new("COM0018", 400, "The request was rejected", "リクエストが拒否されました");

    // SIMs and subscribers (SEM)
    public static readonly ErrorCode SimNotFound = new("SEM0001", 404, "No such SIM", "指定された SIM は存在しません");
    public static readonly ErrorCode SubscriberNotFound = new("SEM0002", 404, "No such subscriber", "指定されたサブスクライバーは存在しません");
    public static readonly ErrorCode SimTerminated = new("SEM0003", 400, "The SIM is terminated and cannot be changed", "解約済みの SIM は変更できません");
    public static readonly ErrorCode TerminationProtected = new("SEM0004", 400, "Termination protection is on; call enable_termination first", "解約保護が有効です。先に enable_termination を呼び出してください");
    public static readonly ErrorCode TransitionNotAllowed = new("SEM0005", 400, "The status change is not allowed from the current status", "現在のステータスからそのステータスには変更できません");
    public static readonly ErrorCode StandbyNotSupported = new("SEM0006", 400, "The subscription does not support the standby status", "このサブスクリプションは休止中 (standby) ステータスに対応していません");
    public static readonly ErrorCode SpeedClassInvalid = new("SEM0007", 400, "The speed class is not valid for the subscription", "この速度クラスはこのサブスクリプションでは使用できません");
    public static readonly ErrorCode ImeiInvalid = new("SEM0008", 400, "The IMEI is malformed", "IMEI の形式が正しくありません");
    public static readonly ErrorCode ImeiRequiredOffline = new("SEM0009", 400, "An IMEI is required while the SIM is offline", "SIM がオフラインのときは IMEI を指定する必要があります");
    public static readonly ErrorCode SecondarySubscription = new("SEM0010", 400, "This setting is synchronised from the primary subscription and cannot be changed on a secondary IMSI", "この設定はプライマリサブスクリプションから同期されるため、セカンダリ IMSI では変更できません");
    public static readonly ErrorCode RegistrationFailed = new("SEM0011", 400, "The registration secret does not match", "登録シークレットが一致しません");
    public static readonly ErrorCode AlreadyRegistered = new("SEM0012", 400, "The SIM is already registered", "この SIM はすでに登録されています");
    public static readonly ErrorCode TagNotFound = new("SEM0013", 404, "No such tag", "指定されたタグは存在しません");
    public static readonly ErrorCode NotInGroup = new("SEM0014", 404, "The subscriber does not belong to a group", "このサブスクライバーはグループに所属していません");
    public static readonly ErrorCode ExpiryNotSet = new("SEM0015", 404, "No expiry time is set", "有効期限が設定されていません");
    public static readonly ErrorCode SubscriberOffline = new("SEM0016", 400, "The specified subscriber is offline", "指定されたサブスクライバーはオフラインです");
    public static readonly ErrorCode ExpiryTimeInPast = new("SEM0017", 400, "expiryTime must be in the future", "expiryTime には未来の日時を指定してください");
    public static readonly ErrorCode ExpiryTerminateProtected = new("SEM0018", 400, "You have to disable termination protection to set expiryAction terminate", "expiryAction に terminate を設定するには解約保護を無効にしてください");
    public static readonly ErrorCode UnknownSubscription = new("SEM0019", 400, "Unknown subscription (plan)", "不明なサブスクリプション (プラン) です");
    public static readonly ErrorCode SessionNotFound = new("SEM0020", 404, "No such session", "指定されたセッションは存在しません");
    public static readonly ErrorCode SubscriptionIncompatible = new("SEM0021", 400, "The subscription cannot be added to this SIM", "このサブスクリプションはこの SIM に追加できません");
    public static readonly ErrorCode ProfileNotFound = new("SEM0022", 404, "No such profile", "指定されたプロファイルは存在しません");

    // Groups (GRM)
    public static readonly ErrorCode GroupNotFound = new("GRM0001", 404, "No such group", "指定されたグループは存在しません");
    public static readonly ErrorCode GroupNotEmpty = new("GRM0002", 400, "The group still has SIMs; remove them from the group first", "グループに SIM が所属しています。先にグループから外してください");
    public static readonly ErrorCode ConfigurationTooLarge = new("GRM0003", 400, "The group configuration exceeds 8 KB", "グループの設定が 8 KB を超えています");
    public static readonly ErrorCode NamespaceNotFound = new("GRM0004", 400, "The configuration namespace is not set on the group", "この設定の名前空間はグループに設定されていません");
    public static readonly ErrorCode UnknownNamespace = new("GRM0005", 400, "Unknown configuration namespace", "不明な設定の名前空間です");
    public static readonly ErrorCode ConfigurationKeyNotFound = new("GRM0006", 404, "No such configuration key in the namespace", "指定された設定キーは名前空間に存在しません");

    // Gateway (GTW)
    public static readonly ErrorCode GatewayUnauthorized = new("GTW0001", 401, "X-Simlane-Gateway-Key is missing or wrong", "X-Simlane-Gateway-Key が指定されていないか、正しくありません");
    public static readonly ErrorCode UsageBatchTooLarge = new("GTW0002", 400, "A usage batch holds at most 10,000 records", "使用量のバッチに含められるレコードは 10,000 件までです");

    // Billing (BIL)
    public static readonly ErrorCode InvalidBillingMonth = new("BIL0001", 400, "The month must be given as yyyyMM, e.g. 202611", "月は yyyyMM の形式で指定してください (例: 202611)");
    public static readonly ErrorCode BillNotFound = new("BIL0002", 404, "There is no charge for the specified month", "指定された月の利用料金はありません");

    // Exported files (FIL)
    public static readonly ErrorCode ExportedFileNotFound = new("FIL0001", 404, "No such exported file, or the download link is invalid or expired", "エクスポートされたファイルが存在しないか、ダウンロードリンクが無効または期限切れです");
    public static readonly ErrorCode ExportTooLarge = new("FIL0002", 400, "The export exceeds the size limit (64 MiB by default); narrow the period or the period unit", "エクスポートがサイズ上限 (既定 64 MiB) を超えています。期間または集計単位を狭めてください");

    // Event handlers (EHM)
    public static readonly ErrorCode HandlerNotFound = new("EHM0001", 404, "No such event handler", "指定されたイベントハンドラーは存在しません");
    public static readonly ErrorCode InvalidHandlerId = new("EHM0002", 400, "Invalid event handler ID", "イベントハンドラー ID が正しくありません");
    public static readonly ErrorCode InvalidRuleConfig = new("EHM0003", 400, "The rule configuration is invalid", "ルールの設定が正しくありません");
    public static readonly ErrorCode InvalidActionConfig = new("EHM0004", 400, "The action configuration is invalid", "アクションの設定が正しくありません");
    public static readonly ErrorCode HandlerTargetCount = new("EHM0005", 400, "Specify exactly one of targetImsi, targetSimId, targetGroupId, targetOperatorId", "targetImsi、targetSimId、targetGroupId、targetOperatorId のいずれか 1 つだけを指定してください");
    public static readonly ErrorCode InvalidHandlerTarget = new("EHM0006", 400, "The handler target does not exist or is not the caller's", "ハンドラーの対象が存在しないか、呼び出し元のものではありません");
    public static readonly ErrorCode RuleTargetMismatch = new("EHM0007", 400, "The rule type cannot be used with this target", "このルールの種類はこの対象には使用できません");
    public static readonly ErrorCode TooManyActions = new("EHM0008", 400, "The handler has more actions than allowed (default 5)", "ハンドラーのアクション数が上限 (既定 5) を超えています");
    public static readonly ErrorCode TooManyHandlers = new("EHM0009", 400, "The target already has the most event handlers allowed (default 10)", "対象のイベントハンドラー数がすでに上限 (既定 10) に達しています");
    public static readonly ErrorCode HandlerIgnoreNotFound = new("EHM0010", 404, "The subscriber is not ignored by this event handler", "このサブスクライバーはこのイベントハンドラーで除外されていません");
    public static readonly ErrorCode InvalidIgnoreRequest = new("EHM0011", 400, "The ignore request is invalid", "除外のリクエストが正しくありません");
    public static readonly ErrorCode ActionDeliveryNotFound = new("EHM0020", 404, "No such action of this event handler's execution", "このイベントハンドラーの実行に指定されたアクションは存在しません");
    public static readonly ErrorCode ActionNotRetryable = new("EHM0021", 400, "Only a dead or failed action can be retried", "再実行できるのは dead または failed のアクションだけです");

    // Credentials (CRD)
    public static readonly ErrorCode CredentialsNotFound = new("CRD0001", 404, "No such credential set", "指定された認証情報セットは存在しません");
    public static readonly ErrorCode CredentialsExist = new("CRD0002", 409, "A credential set with this ID already exists; update it with PUT", "この ID の認証情報セットはすでに存在します。PUT で更新してください");
    public static readonly ErrorCode InvalidCredentials = new("CRD0003", 400, "The credential set is invalid", "認証情報セットが正しくありません");

    // Sandbox (SBX)
    public static readonly ErrorCode SandboxDisabled = new("SBX1001", 404, "Sandbox APIs are enabled only in sandbox mode", "サンドボックス API はサンドボックスモードでのみ使用できます");
    public static readonly ErrorCode SandboxInvalidSignup = new("SBX1002", 400, "Email address, AuthKeyId, or AuthKey is not correct", "メールアドレス、AuthKeyId、または AuthKey が正しくありません");
    public static readonly ErrorCode ClockBackwards = new("SBX1010", 400, "The sandbox clock only moves forward", "サンドボックスの時計は先にしか進められません");
    public static readonly ErrorCode ClockRequestInvalid = new("SBX1011", 400, "Specify exactly one of now (epoch ms) or advanceSeconds", "now (エポックミリ秒) と advanceSeconds のどちらか一方だけを指定してください");
    public static readonly ErrorCode AirStatsExist = new("SBX1012", 400, "Air stats with the same timestamp already exist for this IMSI", "この IMSI には同じタイムスタンプの Air 統計がすでに存在します");
}
