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

    /// <summary>
    /// Whether a session reporting <paramref name="reported"/> may be established under <paramref name="imeiLock"/>:
    /// the IMEI must equal the locked one; a lock ending in <c>|ANONYMOUS</c> also admits a session without IMEI.
    /// </summary>
    public static bool Satisfies(string imeiLock, string? reported)
    {
        var anonymousAllowed = imeiLock.EndsWith(AnonymousSuffix, StringComparison.Ordinal);
        var locked = anonymousAllowed ? imeiLock[..^AnonymousSuffix.Length] : imeiLock;
        return IsAnonymous(reported) ? anonymousAllowed : string.Equals(locked, reported, StringComparison.Ordinal);
    }
}
