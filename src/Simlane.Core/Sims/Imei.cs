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
}
