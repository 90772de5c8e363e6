using System.Globalization;

namespace Simlane.Core.Errors;

/// <summary>
/// Every bound on what a client may send, in one place (docs/api.md, "Limits"). Checks answer 400 naming
/// the field, so no value that the domain, the database or the clock cannot hold ever gets past the API.
/// </summary>
public static class InputLimits
{
    /// <summary>The earliest instant a client may set (2000-01-01T00:00:00Z), epoch ms.</summary>
    public const long MinTimeMs = 946_684_800_000;

    /// <summary>
    /// The latest instant a client may set, or the sandbox clock may reach (3000-01-01T00:00:00Z, exclusive), epoch ms.
    /// Far enough from DateTimeOffset's year 9999 that "plus a month", "plus 48 hours" and every window computed
    /// from such a time still fit.
    /// </summary>
    public const long MaxTimeMs = 32_503_680_000_000;

    public const int TagNameMax = 256;
    public const int TagValueMax = 1024;
    public const int TagsPerRequestMax = 100;
    public const int NameMax = 256;
    public const int DescriptionMax = 1024;
    public const int IdentifierMax = 100;
    public const int EmailMax = 254;
    public const int PasswordMax = 256;
    public const int SecretMax = 256;
    public const int SearchValueMax = 256;
    public const int SearchValuesMax = 100;
    public const int QueryValueMax = TagValueMax;

    /// <summary>Whether <paramref name="ms"/> is an instant a client may set.</summary>
    public static bool IsValidTimeMs(long ms) => ms is >= MinTimeMs and < MaxTimeMs;

    /// <summary>An instant a client sets (expiry time, ignore until, sandbox clock), in epoch ms.</summary>
    public static long TimeMs(long ms, string field) => IsValidTimeMs(ms)
        ? ms
        : throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: {ms.ToString(CultureInfo.InvariantCulture)} is outside {RangeText} (epoch ms)");

    /// <summary>An instant a client sets in epoch seconds (sandbox air stats).</summary>
    public static long TimeSeconds(long seconds, string field) => seconds >= MinTimeMs / 1000 && seconds < MaxTimeMs / 1000
        ? seconds
        : throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: {seconds.ToString(CultureInfo.InvariantCulture)} is outside {RangeText} (epoch seconds)");

    /// <summary>The bound of a query range (<c>from</c>/<c>to</c>): 0 (the beginning) up to the latest instant.</summary>
    public static bool IsValidQueryBoundMs(long ms) => ms is >= 0 and < MaxTimeMs;

    public const string RangeText = "2000-01-01T00:00:00Z .. 3000-01-01T00:00:00Z";

    /// <summary>A name, ID or email: at most <paramref name="max"/> characters and no control characters.</summary>
    public static string Name(string value, string field, int max = NameMax)
    {
        Length(value, field, max);
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: control characters (U+{(int)c:X4}) are not allowed");
            }
        }

        return value;
    }

    /// <summary>Free text (a tag value, a description): at most <paramref name="max"/> characters, no NUL or other control characters but tab and line breaks.</summary>
    public static string Text(string value, string field, int max)
    {
        Length(value, field, max);
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: control characters (U+{(int)c:X4}) are not allowed");
            }
        }

        return value;
    }

    /// <summary>Only the length (passwords, secrets: any character the client chose is kept).</summary>
    public static string Length(string value, string field, int max) => value.Length <= max
        ? value
        : throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: at most {max.ToString(CultureInfo.InvariantCulture)} characters, not {value.Length.ToString(CultureInfo.InvariantCulture)}");
}
