namespace Simlane.Core.Errors;

/// <summary>
/// Every error code Simlane answers with. Codes are stable: a client may switch on them. Add new
/// failures as new codes (and a row in docs/errors.md); never reuse a code for another meaning.
/// </summary>
public static class ErrorCodes
{
    // Authentication (AUM)
    public static readonly ErrorCode CredentialsRequired = new("AUM0001", 401, "X-Soracom-API-Key and X-Soracom-Token are required");
    public static readonly ErrorCode InvalidEmailOrPassword = new("AUM0002", 401, "Invalid email address or password");
    public static readonly ErrorCode EmailAlreadyRegistered = new("AUM0003", 400, "The email address is already registered");
    public static readonly ErrorCode InvalidAuthKey = new("AUM0005", 401, "Invalid AuthKeyId or AuthKey");
    public static readonly ErrorCode InvalidToken = new("AUM0006", 401, "The API key or token is invalid, expired or revoked");
    public static readonly ErrorCode InvalidAuthRequest = new("AUM0007", 400, "Specify email and password, or authKeyId and authKey");
    public static readonly ErrorCode InvalidTokenTimeout = new("AUM0008", 400, "tokenTimeoutSeconds must be between 180 and 172800");
    public static readonly ErrorCode SamUsersUnsupported = new("AUM0009", 401, "SAM users are not supported by this server");
    public static readonly ErrorCode InvalidOperatorId = new("AUM0010", 400, "Invalid operator ID");
    public static readonly ErrorCode AuthKeyNotFound = new("AUM0011", 404, "No such AuthKey");
    public static readonly ErrorCode LastAuthKey = new("AUM0012", 400, "An operator without a password must keep at least one AuthKey");

    // Request shape (COM)
    public static readonly ErrorCode MalformedJson = new("COM0001", 400, "The request body is not valid JSON");
    public static readonly ErrorCode MissingField = new("COM0002", 400, "A required field is missing");
    public static readonly ErrorCode InternalError = new("COM0003", 500, "Internal server error");
    public static readonly ErrorCode InvalidField = new("COM0004", 400, "A field has an invalid value");
    public static readonly ErrorCode BodyTooLarge = new("COM0005", 413, "The request body exceeds 1 MiB");
    public static readonly ErrorCode UnsupportedMediaType = new("COM0006", 415, "The request body must be application/json");
    public static readonly ErrorCode InvalidQueryParameter = new("COM0007", 400, "A query parameter has an invalid value");
    public static readonly ErrorCode EmailMalformed = new("COM0008", 400, "Malformed email address");
    public static readonly ErrorCode RouteNotFound = new("COM0009", 404, "No such API");
    public static readonly ErrorCode MethodNotAllowed = new("COM0010", 405, "The method is not allowed for this API");
    public static readonly ErrorCode InvalidRequest = new("COM0011", 400, "The request is invalid");
    public static readonly ErrorCode InvalidPaginationKey = new("COM0012", 400, "last_evaluated_key is not valid for this list");
    public static readonly ErrorCode Conflict = new("COM0013", 409, "The resource was changed concurrently; retry the request");
    public static readonly ErrorCode UrlTooLong = new("COM0014", 414, "The URL exceeds 8 KiB");
    public static readonly ErrorCode HeadersTooLarge = new("COM0015", 431, "The request headers exceed 32 KiB or 100 fields");
    public static readonly ErrorCode InvalidPath = new("COM0016", 400, "The path contains a NUL or another control character");
    public static readonly ErrorCode HttpError = new("COM0017", 400, "The request was rejected");

    // SIMs and subscribers (SEM)
    public static readonly ErrorCode SimNotFound = new("SEM0001", 404, "No such SIM");
    public static readonly ErrorCode SubscriberNotFound = new("SEM0002", 404, "No such subscriber");
    public static readonly ErrorCode SimTerminated = new("SEM0003", 400, "The SIM is terminated and cannot be changed");
    public static readonly ErrorCode TerminationProtected = new("SEM0004", 400, "Termination protection is on; call enable_termination first");
    public static readonly ErrorCode TransitionNotAllowed = new("SEM0005", 400, "The status change is not allowed from the current status");
    public static readonly ErrorCode StandbyNotSupported = new("SEM0006", 400, "The subscription does not support the standby status");
    public static readonly ErrorCode SpeedClassInvalid = new("SEM0007", 400, "The speed class is not valid for the subscription");
    public static readonly ErrorCode ImeiInvalid = new("SEM0008", 400, "The IMEI is malformed");
    public static readonly ErrorCode ImeiRequiredOffline = new("SEM0009", 400, "An IMEI is required while the SIM is offline");
    public static readonly ErrorCode SecondarySubscription = new("SEM0010", 400, "This setting is synchronised from the primary subscription and cannot be changed on a secondary IMSI");
    public static readonly ErrorCode RegistrationFailed = new("SEM0011", 400, "The registration secret does not match");
    public static readonly ErrorCode AlreadyRegistered = new("SEM0012", 400, "The SIM is already registered");
    public static readonly ErrorCode TagNotFound = new("SEM0013", 404, "No such tag");
    public static readonly ErrorCode NotInGroup = new("SEM0014", 404, "The subscriber does not belong to a group");
    public static readonly ErrorCode ExpiryNotSet = new("SEM0015", 404, "No expiry time is set");
    public static readonly ErrorCode SubscriberOffline = new("SEM0016", 400, "The specified subscriber is offline");
    public static readonly ErrorCode ExpiryTimeInPast = new("SEM0017", 400, "expiryTime must be in the future");
    public static readonly ErrorCode ExpiryTerminateProtected = new("SEM0018", 400, "You have to disable termination protection to set expiryAction terminate");
    public static readonly ErrorCode UnknownSubscription = new("SEM0019", 400, "Unknown subscription (plan)");
    public static readonly ErrorCode SessionNotFound = new("SEM0020", 404, "No such session");
    public static readonly ErrorCode SubscriptionIncompatible = new("SEM0021", 400, "The subscription cannot be added to this SIM");
    public static readonly ErrorCode ProfileNotFound = new("SEM0022", 404, "No such profile");

    // Groups (GRM)
    public static readonly ErrorCode GroupNotFound = new("GRM0001", 404, "No such group");
    public static readonly ErrorCode GroupNotEmpty = new("GRM0002", 400, "The group still has SIMs; remove them from the group first");
    public static readonly ErrorCode ConfigurationTooLarge = new("GRM0003", 400, "The group configuration exceeds 8 KB");
    public static readonly ErrorCode NamespaceNotFound = new("GRM0004", 400, "The configuration namespace is not set on the group");
    public static readonly ErrorCode UnknownNamespace = new("GRM0005", 400, "Unknown configuration namespace");
    public static readonly ErrorCode ConfigurationKeyNotFound = new("GRM0006", 404, "No such configuration key in the namespace");

    // Gateway (GTW)
    public static readonly ErrorCode GatewayUnauthorized = new("GTW0001", 401, "X-Simlane-Gateway-Key is missing or wrong");
    public static readonly ErrorCode UsageBatchTooLarge = new("GTW0002", 400, "A usage batch holds at most 10,000 records");

    // Billing (BIL)
    public static readonly ErrorCode InvalidBillingMonth = new("BIL0001", 400, "The month must be given as yyyyMM, e.g. 202611");
    public static readonly ErrorCode BillNotFound = new("BIL0002", 404, "There is no charge for the specified month");

    // Event handlers (EHM)
    public static readonly ErrorCode HandlerNotFound = new("EHM0001", 404, "No such event handler");
    public static readonly ErrorCode InvalidHandlerId = new("EHM0002", 400, "Invalid event handler ID");
    public static readonly ErrorCode InvalidRuleConfig = new("EHM0003", 400, "The rule configuration is invalid");
    public static readonly ErrorCode InvalidActionConfig = new("EHM0004", 400, "The action configuration is invalid");
    public static readonly ErrorCode HandlerTargetCount = new("EHM0005", 400, "Specify exactly one of targetImsi, targetSimId, targetGroupId, targetOperatorId");
    public static readonly ErrorCode InvalidHandlerTarget = new("EHM0006", 400, "The handler target does not exist or is not the caller's");
    public static readonly ErrorCode RuleTargetMismatch = new("EHM0007", 400, "The rule type cannot be used with this target");
    public static readonly ErrorCode TooManyActions = new("EHM0008", 400, "The handler has more actions than allowed (default 5)");
    public static readonly ErrorCode TooManyHandlers = new("EHM0009", 400, "The target already has the most event handlers allowed (default 10)");
    public static readonly ErrorCode HandlerIgnoreNotFound = new("EHM0010", 404, "The subscriber is not ignored by this event handler");
    public static readonly ErrorCode InvalidIgnoreRequest = new("EHM0011", 400, "The ignore request is invalid");
    public static readonly ErrorCode ActionDeliveryNotFound = new("EHM0020", 404, "No such action of this event handler's execution");
    public static readonly ErrorCode ActionNotRetryable = new("EHM0021", 400, "Only a dead or failed action can be retried");

    // Credentials (CRD)
    public static readonly ErrorCode CredentialsNotFound = new("CRD0001", 404, "No such credential set");
    public static readonly ErrorCode CredentialsExist = new("CRD0002", 409, "A credential set with this ID already exists; update it with PUT");
    public static readonly ErrorCode InvalidCredentials = new("CRD0003", 400, "The credential set is invalid");

    // Sandbox (SBX)
    public static readonly ErrorCode SandboxDisabled = new("SBX1001", 404, "Sandbox APIs are enabled only in sandbox mode");
    public static readonly ErrorCode SandboxInvalidSignup = new("SBX1002", 400, "Email address, AuthKeyId, or AuthKey is not correct");
    public static readonly ErrorCode ClockBackwards = new("SBX1010", 400, "The sandbox clock only moves forward");
    public static readonly ErrorCode ClockRequestInvalid = new("SBX1011", 400, "Specify exactly one of now (epoch ms) or advanceSeconds");
    public static readonly ErrorCode AirStatsExist = new("SBX1012", 400, "Air stats with the same timestamp already exist for this IMSI");
}
