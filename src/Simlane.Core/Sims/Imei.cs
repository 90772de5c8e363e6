using System.Text.RegularExpressions;
using Simlane.Core.Errors;

namespace Simlane.Core.Sims;

/// <summary>
/// IMEI lock values: fifteen digits, optionally followed by <c>|ANONYMOUS</c> to also admit sessions
/// that report no IMEI.
/// </summary>
public static partial class Imei
{
    public const string AnonymousSuffix = "|ANONYMOUS";

    // \z, not $: $ also matches before a trailing newline, which would admit "123456789012345\n".
    [GeneratedRegex(@"^[0-9]{15}(\|ANONYMOUS)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LockPattern();

    public static bool IsValidLock(string? value) => value is not null && LockPattern().IsMatch(value);

    public static string ValidateLock(string value) =>
        IsValidLock(value)
            ? value
            : throw new SimlaneException(ErrorCodes.ImeiInvalid, $"imei: '{value}' is not 15 digits (optionally followed by {AnonymousSuffix})");

    /// <summary>What carriers report when the device's IMEI is unknown.</summary>
    public const string NotReported = "000000000000000";

    [GeneratedRegex(@"^[0-9]{15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ImeiPattern();

    public static bool IsValid(string? value) => value is not null && ImeiPattern().IsMatch(value);

    /// <summary>True when no IMEI was reported (absent, empty or all zeros).</summary>
    public static bool IsAnonymous(string? reported) => string.IsNullOrEmpty(reported) || reported == NotReported;

    /// <summary>Digits that identify a device: the TAC (8) and the serial number (6). The 15th digit of an IMEI is a
    /// check digit, the 15th and 16th of an IMEISV the software version; neither takes part in a lock comparison.</summary>
    public const int IdentityDigits = 14;

    [GeneratedRegex(@"^[0-9]{15,16}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ImeiOrImeisvPattern();

    /// <summary>
    /// Whether a session reporting <paramref name="reported"/> may be established under <paramref name="imeiLock"/>:
    /// the reported IMEI (15 digits) or IMEISV (16 digits, as RADIUS's 3GPP-IMEISV carries it) must name the locked
    /// device, compared by TAC and serial number (the first <see cref="IdentityDigits"/> digits, decisions.md S57); a
    /// lock ending in <c>|ANONYMOUS</c> also admits a session without IMEI. Anything else reported satisfies no lock.
    /// </summary>
    public static bool Satisfies(string imeiLock, string? reported)
    {
        var anonymousAllowed = imeiLock.EndsWith(AnonymousSuffix, StringComparison.Ordinal);
        var locked = anonymousAllowed ? imeiLock[..^AnonymousSuffix.Length] : imeiLock;
        if (IsAnonymous(reported) || reported == NotReported + "0")
        {
            return anonymousAllowed;
        }

        return ImeiOrImeisvPattern().IsMatch(reported!)
            && locked.Length >= IdentityDigits
            && locked.AsSpan(0, IdentityDigits).SequenceEqual(reported.AsSpan(0, IdentityDigits));
    }

    /// <summary>
    /// The 15-digit IMEI of a reported IMEI or IMEISV: a 15-digit value as is; a 16-digit IMEISV as its TAC and serial
    /// number plus the Luhn check digit; null when none was reported (absent, empty, all zeros). False (and null) when
    /// <paramref name="reported"/> is neither.
    /// </summary>
    public static bool TryNormalize(string? reported, out string? imei)
    {
        imei = null;
        if (IsAnonymous(reported) || reported == NotReported + "0")
        {
            return true;
        }

        if (!ImeiOrImeisvPattern().IsMatch(reported!))
        {
            return false;
        }

        imei = reported!.Length == 15 ? reported : reported[..IdentityDigits] + LuhnDigit(reported.AsSpan(0, IdentityDigits));
        return true;
    }

    /// <summary>The Luhn check digit of an IMEI's first 14 digits (3GPP TS 23.003 annex B).</summary>
    public static char LuhnDigit(ReadOnlySpan<char> fourteen)
    {
        var sum = 0;
        for (var i = 0; i < fourteen.Length; i++)
        {
            var d = fourteen[i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                d = d > 9 ? d - 9 : d;
            }

            sum += d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
