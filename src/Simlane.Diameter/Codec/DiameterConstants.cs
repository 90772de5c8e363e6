namespace Simlane.Diameter.Codec;

/// <summary>
/// Result-Code values (RFC 6733 7.1, RFC 4006 9). The thousands digit is the class: 2xxx success, 3xxx protocol
/// errors (answered with the E bit set, RFC 6733 7.1.3), 4xxx transient failures, 5xxx permanent failures.
/// </summary>
public static class DiameterResultCodes
{
    /// <summary>2001 DIAMETER_SUCCESS.</summary>
    public const uint Success = 2001;
    /// <summary>2002 DIAMETER_LIMITED_SUCCESS: more exchanges are needed (RFC 6733 7.1.2).</summary>
    public const uint LimitedSuccess = 2002;

    /// <summary>3001 DIAMETER_COMMAND_UNSUPPORTED: the command code is not recognised or supported.</summary>
    public const uint CommandUnsupported = 3001;
    /// <summary>3002 DIAMETER_UNABLE_TO_DELIVER.</summary>
    public const uint UnableToDeliver = 3002;
    /// <summary>3003 DIAMETER_REALM_NOT_SERVED.</summary>
    public const uint RealmNotServed = 3003;
    /// <summary>3004 DIAMETER_TOO_BUSY.</summary>
    public const uint TooBusy = 3004;
    /// <summary>3005 DIAMETER_LOOP_DETECTED.</summary>
    public const uint LoopDetected = 3005;
    /// <summary>3006 DIAMETER_REDIRECT_INDICATION.</summary>
    public const uint RedirectIndication = 3006;
    /// <summary>3007 DIAMETER_APPLICATION_UNSUPPORTED: a request for an application this node does not serve.</summary>
    public const uint ApplicationUnsupported = 3007;
    /// <summary>3008 DIAMETER_INVALID_HDR_BITS: an invalid combination of header flags (e.g. R and E both set).</summary>
    public const uint InvalidHdrBits = 3008;
    /// <summary>3009 DIAMETER_INVALID_AVP_BITS.</summary>
    public const uint InvalidAvpBits = 3009;
    /// <summary>3010 DIAMETER_UNKNOWN_PEER: a CER from a host that is not a configured peer.</summary>
    public const uint UnknownPeer = 3010;

    /// <summary>4001 DIAMETER_AUTHENTICATION_REJECTED.</summary>
    public const uint AuthenticationRejected = 4001;
    /// <summary>4002 DIAMETER_OUT_OF_SPACE.</summary>
    public const uint OutOfSpace = 4002;
    /// <summary>4003 ELECTION_LOST.</summary>
    public const uint ElectionLost = 4003;
    /// <summary>4010 DIAMETER_END_USER_SERVICE_DENIED (RFC 4006): the credit-control server denies the service.</summary>
    public const uint EndUserServiceDenied = 4010;
    /// <summary>4011 DIAMETER_CREDIT_CONTROL_NOT_APPLICABLE (RFC 4006): the service is granted without credit control.</summary>
    public const uint CreditControlNotApplicable = 4011;
    /// <summary>4012 DIAMETER_CREDIT_LIMIT_REACHED (RFC 4006): no credit left for the service.</summary>
    public const uint CreditLimitReached = 4012;

    /// <summary>5001 DIAMETER_AVP_UNSUPPORTED: a mandatory (M-bit) AVP the receiver does not know; Failed-AVP holds it.</summary>
    public const uint AvpUnsupported = 5001;
    /// <summary>5002 DIAMETER_UNKNOWN_SESSION_ID.</summary>
    public const uint UnknownSessionId = 5002;
    /// <summary>5003 DIAMETER_AUTHORIZATION_REJECTED.</summary>
    public const uint AuthorizationRejected = 5003;
    /// <summary>5004 DIAMETER_INVALID_AVP_VALUE: an AVP whose value is not valid (Failed-AVP holds it).</summary>
    public const uint InvalidAvpValue = 5004;
    /// <summary>5005 DIAMETER_MISSING_AVP: a required AVP is absent (Failed-AVP holds a zero-filled one).</summary>
    public const uint MissingAvp = 5005;
    /// <summary>5006 DIAMETER_RESOURCES_EXCEEDED.</summary>
    public const uint ResourcesExceeded = 5006;
    /// <summary>5007 DIAMETER_CONTRADICTING_AVPS.</summary>
    public const uint ContradictingAvps = 5007;
    /// <summary>5008 DIAMETER_AVP_NOT_ALLOWED.</summary>
    public const uint AvpNotAllowed = 5008;
    /// <summary>5009 DIAMETER_AVP_OCCURS_TOO_MANY_TIMES.</summary>
    public const uint AvpOccursTooManyTimes = 5009;
    /// <summary>5010 DIAMETER_NO_COMMON_APPLICATION: the CER advertises no application this node serves.</summary>
    public const uint NoCommonApplication = 5010;
    /// <summary>5011 DIAMETER_UNSUPPORTED_VERSION: the header's version is not 1.</summary>
    public const uint UnsupportedVersion = 5011;
    /// <summary>5012 DIAMETER_UNABLE_TO_COMPLY: the request failed for a reason no other code describes.</summary>
    public const uint UnableToComply = 5012;
    /// <summary>5013 DIAMETER_INVALID_BIT_IN_HEADER.</summary>
    public const uint InvalidBitInHeader = 5013;
    /// <summary>5014 DIAMETER_INVALID_AVP_LENGTH: an AVP's length is impossible (Failed-AVP holds its header).</summary>
    public const uint InvalidAvpLength = 5014;
    /// <summary>5015 DIAMETER_INVALID_MESSAGE_LENGTH: the message length does not match its AVPs.</summary>
    public const uint InvalidMessageLength = 5015;
    /// <summary>5016 DIAMETER_INVALID_AVP_BIT_COMBO.</summary>
    public const uint InvalidAvpBitCombo = 5016;
    /// <summary>5017 DIAMETER_NO_COMMON_SECURITY.</summary>
    public const uint NoCommonSecurity = 5017;
    /// <summary>5030 DIAMETER_USER_UNKNOWN (RFC 4006): the end user is not known to the credit-control server.</summary>
    public const uint UserUnknown = 5030;
    /// <summary>5031 DIAMETER_RATING_FAILED (RFC 4006): the service cannot be rated.</summary>
    public const uint RatingFailed = 5031;

    /// <summary>True for the 3xxx protocol errors, which are answered with the E bit set (RFC 6733 7.1.3).</summary>
    public static bool IsProtocolError(uint resultCode) => resultCode is >= 3000 and < 4000;
}

/// <summary>Command codes (RFC 6733 3.1, RFC 4006 3). Requests and answers share the code; the R flag tells them apart.</summary>
public static class DiameterCommands
{
    /// <summary>257 Capabilities-Exchange (CER/CEA): the first exchange on every connection.</summary>
    public const uint CapabilitiesExchange = 257;
    /// <summary>258 Re-Auth (RAR/RAA): the server asks the client to re-authorise a session (Gy: report usage now).</summary>
    public const uint ReAuth = 258;
    /// <summary>271 Accounting (ACR/ACA).</summary>
    public const uint Accounting = 271;
    /// <summary>272 Credit-Control (CCR/CCA, RFC 4006).</summary>
    public const uint CreditControl = 272;
    /// <summary>274 Abort-Session (ASR/ASA).</summary>
    public const uint AbortSession = 274;
    /// <summary>275 Session-Termination (STR/STA).</summary>
    public const uint SessionTermination = 275;
    /// <summary>280 Device-Watchdog (DWR/DWA): the liveness probe of an idle connection.</summary>
    public const uint DeviceWatchdog = 280;
    /// <summary>282 Disconnect-Peer (DPR/DPA): the orderly close of a connection.</summary>
    public const uint DisconnectPeer = 282;

    /// <summary>A short name for logs and metrics: <c>CER</c>-style for the base and credit-control commands, else the number.</summary>
    public static string NameOf(uint commandCode, bool request) => commandCode switch
    {
        CapabilitiesExchange => request ? "CER" : "CEA",
        ReAuth => request ? "RAR" : "RAA",
        Accounting => request ? "ACR" : "ACA",
        CreditControl => request ? "CCR" : "CCA",
        AbortSession => request ? "ASR" : "ASA",
        SessionTermination => request ? "STR" : "STA",
        DeviceWatchdog => request ? "DWR" : "DWA",
        DisconnectPeer => request ? "DPR" : "DPA",
        _ => commandCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Application ids (RFC 6733 2.4, RFC 4006 1.3).</summary>
public static class DiameterApplications
{
    /// <summary>0: the Diameter common messages (CER, DWR, DPR).</summary>
    public const uint Common = 0;
    /// <summary>4: Diameter Credit-Control (Gy/Ro).</summary>
    public const uint CreditControl = 4;
    /// <summary>0xffffffff: a relay, which serves every application.</summary>
    public const uint Relay = 0xffffffff;
}

/// <summary>CC-Request-Type values (RFC 4006 8.3).</summary>
public static class CcRequestTypes
{
    public const uint Initial = 1;
    public const uint Update = 2;
    public const uint Termination = 3;
    public const uint Event = 4;
}

/// <summary>Subscription-Id-Type values (RFC 4006 8.47).</summary>
public static class SubscriptionIdTypes
{
    /// <summary>An MSISDN in international E.164 form.</summary>
    public const uint EndUserE164 = 0;
    /// <summary>An IMSI.</summary>
    public const uint EndUserImsi = 1;
    public const uint EndUserSipUri = 2;
    public const uint EndUserNai = 3;
    public const uint EndUserPrivate = 4;
}

/// <summary>User-Equipment-Info-Type values (RFC 4006 8.50).</summary>
public static class UserEquipmentInfoTypes
{
    /// <summary>The IMEISV (Open5GS sends its 16 decimal digits as text).</summary>
    public const uint Imeisv = 0;
    public const uint Mac = 1;
    public const uint Eui64 = 2;
    public const uint ModifiedEui64 = 3;
}

/// <summary>Final-Unit-Action values (RFC 4006 8.35).</summary>
public static class FinalUnitActions
{
    public const uint Terminate = 0;
    public const uint Redirect = 1;
    public const uint RestrictAccess = 2;
}

/// <summary>Reporting-Reason values (3GPP TS 32.299 7.2.175).</summary>
public static class ReportingReasons
{
    public const uint Threshold = 0;
    /// <summary>Quota-Holding-Time expired.</summary>
    public const uint Qht = 1;
    public const uint Final = 2;
    public const uint QuotaExhausted = 3;
    public const uint ValidityTime = 4;
    public const uint OtherQuotaType = 5;
    public const uint RatingConditionChange = 6;
    /// <summary>The answer to a Re-Auth-Request.</summary>
    public const uint ForcedReauthorisation = 7;
    public const uint PoolExhausted = 8;
    public const uint UnusedQuotaTimer = 9;
}

/// <summary>Termination-Cause values (RFC 6733 8.15).</summary>
public static class TerminationCauses
{
    public const uint Logout = 1;
    public const uint ServiceNotProvided = 2;
    public const uint BadAnswer = 3;
    public const uint Administrative = 4;
    public const uint LinkBroken = 5;
    public const uint AuthExpired = 6;
    public const uint UserMoved = 7;
    public const uint SessionTimeout = 8;
}

/// <summary>Disconnect-Cause values of a DPR (RFC 6733 5.4.3).</summary>
public static class DisconnectCauses
{
    public const uint Rebooting = 0;
    public const uint Busy = 1;
    public const uint DoNotWantToTalkToYou = 2;
}

/// <summary>Re-Auth-Request-Type values (RFC 6733 8.12).</summary>
public static class ReAuthRequestTypes
{
    public const uint AuthorizeOnly = 0;
    public const uint AuthorizeAuthenticate = 1;
}

/// <summary>Auth-Session-State values (RFC 6733 8.11).</summary>
public static class AuthSessionStates
{
    public const uint StateMaintained = 0;
    public const uint NoStateMaintained = 1;
}
