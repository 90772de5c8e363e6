using System.Collections.Frozen;
using System.Globalization;

namespace Simlane.Diameter.Codec;

/// <summary>The RFC 6733 / RFC 4006 names of the Result-Codes in <see cref="DiameterResultCodes"/> (for logs, the API and docs).</summary>
public static class DiameterResultCodeNames
{
    private static readonly FrozenDictionary<uint, string> Names = new Dictionary<uint, string>
    {
        [DiameterResultCodes.Success] = "DIAMETER_SUCCESS",
        [DiameterResultCodes.LimitedSuccess] = "DIAMETER_LIMITED_SUCCESS",
        [DiameterResultCodes.CommandUnsupported] = "DIAMETER_COMMAND_UNSUPPORTED",
        [DiameterResultCodes.UnableToDeliver] = "DIAMETER_UNABLE_TO_DELIVER",
        [DiameterResultCodes.RealmNotServed] = "DIAMETER_REALM_NOT_SERVED",
        [DiameterResultCodes.TooBusy] = "DIAMETER_TOO_BUSY",
        [DiameterResultCodes.LoopDetected] = "DIAMETER_LOOP_DETECTED",
        [DiameterResultCodes.RedirectIndication] = "DIAMETER_REDIRECT_INDICATION",
        [DiameterResultCodes.ApplicationUnsupported] = "DIAMETER_APPLICATION_UNSUPPORTED",
        [DiameterResultCodes.InvalidHdrBits] = "DIAMETER_INVALID_HDR_BITS",
        [DiameterResultCodes.InvalidAvpBits] = "DIAMETER_INVALID_AVP_BITS",
        [DiameterResultCodes.UnknownPeer] = "DIAMETER_UNKNOWN_PEER",
        [DiameterResultCodes.AuthenticationRejected] = "DIAMETER_AUTHENTICATION_REJECTED",
        [DiameterResultCodes.OutOfSpace] = "DIAMETER_OUT_OF_SPACE",
        [DiameterResultCodes.ElectionLost] = "DIAMETER_ELECTION_LOST",
        [DiameterResultCodes.EndUserServiceDenied] = "DIAMETER_END_USER_SERVICE_DENIED",
        [DiameterResultCodes.CreditControlNotApplicable] = "DIAMETER_CREDIT_CONTROL_NOT_APPLICABLE",
        [DiameterResultCodes.CreditLimitReached] = "DIAMETER_CREDIT_LIMIT_REACHED",
        [DiameterResultCodes.AvpUnsupported] = "DIAMETER_AVP_UNSUPPORTED",
        [DiameterResultCodes.UnknownSessionId] = "DIAMETER_UNKNOWN_SESSION_ID",
        [DiameterResultCodes.AuthorizationRejected] = "DIAMETER_AUTHORIZATION_REJECTED",
        [DiameterResultCodes.InvalidAvpValue] = "DIAMETER_INVALID_AVP_VALUE",
        [DiameterResultCodes.MissingAvp] = "DIAMETER_MISSING_AVP",
        [DiameterResultCodes.ResourcesExceeded] = "DIAMETER_RESOURCES_EXCEEDED",
        [DiameterResultCodes.ContradictingAvps] = "DIAMETER_CONTRADICTING_AVPS",
        [DiameterResultCodes.AvpNotAllowed] = "DIAMETER_AVP_NOT_ALLOWED",
        [DiameterResultCodes.AvpOccursTooManyTimes] = "DIAMETER_AVP_OCCURS_TOO_MANY_TIMES",
        [DiameterResultCodes.NoCommonApplication] = "DIAMETER_NO_COMMON_APPLICATION",
        [DiameterResultCodes.UnsupportedVersion] = "DIAMETER_UNSUPPORTED_VERSION",
        [DiameterResultCodes.UnableToComply] = "DIAMETER_UNABLE_TO_COMPLY",
        [DiameterResultCodes.InvalidBitInHeader] = "DIAMETER_INVALID_BIT_IN_HEADER",
        [DiameterResultCodes.InvalidAvpLength] = "DIAMETER_INVALID_AVP_LENGTH",
        [DiameterResultCodes.InvalidMessageLength] = "DIAMETER_INVALID_MESSAGE_LENGTH",
        [DiameterResultCodes.InvalidAvpBitCombo] = "DIAMETER_INVALID_AVP_BIT_COMBO",
        [DiameterResultCodes.NoCommonSecurity] = "DIAMETER_NO_COMMON_SECURITY",
        [DiameterResultCodes.UserUnknown] = "DIAMETER_USER_UNKNOWN",
        [DiameterResultCodes.RatingFailed] = "DIAMETER_RATING_FAILED",
    }.ToFrozenDictionary();

    /// <summary>The code's name, e.g. <c>DIAMETER_UNKNOWN_SESSION_ID</c> for 5002; the number itself when it is not one of ours.</summary>
    public static string Name(uint resultCode) => Names.TryGetValue(resultCode, out var name) ? name : resultCode.ToString(CultureInfo.InvariantCulture);
}
