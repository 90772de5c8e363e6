using System.Globalization;
using System.Text;

namespace Simlane.Core.Engine;

/// <summary>
/// What one firing knows for the <c>${…}</c> variables of its actions (domain.md 4.7, decisions.md 12).
/// A null property means "not available for this firing" and leaves its variable as written; pass an empty
/// string to substitute nothing (e.g. a session that reported no IMEI).
/// </summary>
public sealed record VariableContext
{
    public string? Imsi { get; init; }

    public string? SimId { get; init; }

    public string? OperatorId { get; init; }

    /// <summary>The match time, epoch milliseconds; <c>date</c>, <c>year</c>, <c>month</c>, <c>day</c> are its UTC date.</summary>
    public long? MatchTime { get; init; }

    /// <summary>The SIM's tags, for <c>${tags.&lt;name&gt;}</c>. A tag the SIM does not have is left as written.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary><c>g</c> or <c>jp</c>.</summary>
    public string? Coverage { get; init; }

    public string? OldStatus { get; init; }

    public string? NewStatus { get; init; }

    public string? OldSpeedClass { get; init; }

    public string? NewSpeedClass { get; init; }

    /// <summary>The added plan (SimSubscriptionStatusRule).</summary>
    public string? Subscription { get; init; }

    /// <summary><c>started</c>, <c>finished</c> or <c>failed</c> (SimSubscriptionStatusRule).</summary>
    public string? OtaStatus { get; init; }

    public string? PrimaryImsi { get; init; }

    /// <summary><c>Created</c> or <c>Deleted</c> (SubscriberSessionStatusRule).</summary>
    public string? SessionStatus { get; init; }

    public string? Imei { get; init; }
}

/// <summary>
/// Expands <c>${name}</c> in action properties. One pass, left to right: a substituted value is never
/// scanned again (a tag whose value is <c>${imsi}</c> stays literally <c>${imsi}</c>), and an unknown
/// variable, a variable not available for the firing, or an unterminated <c>${</c> is left exactly as written.
/// Names are case-sensitive, as SORACOM's.
/// </summary>
public static class Variables
{
    private const string TagPrefix = "tags.";

    public static string Expand(string template, VariableContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        var start = template.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return template;
        }

        var result = new StringBuilder(template.Length + 32);
        var position = 0;
        while (start >= 0)
        {
            var end = template.IndexOf('}', start + 2);
            if (end < 0)
            {
                break;
            }

            // "${a${imsi}": the inner "${" starts the candidate; the outer text is literal.
            var inner = template.IndexOf("${", start + 2, end - start - 2, StringComparison.Ordinal);
            if (inner >= 0)
            {
                start = inner;
                continue;
            }

            var name = template.Substring(start + 2, end - start - 2);
            if (Resolve(name, context) is { } value)
            {
                result.Append(template, position, start - position).Append(value);
                position = end + 1;
            }

            start = template.IndexOf("${", end + 1, StringComparison.Ordinal);
        }

        return result.Append(template, position, template.Length - position).ToString();
    }

    /// <summary>The value of one variable, or null when it is unknown or not available.</summary>
    public static string? Resolve(string name, VariableContext context)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(context);
        if (name.StartsWith(TagPrefix, StringComparison.Ordinal))
        {
            return context.Tags is { } tags && tags.TryGetValue(name[TagPrefix.Length..], out var tag) ? tag : null;
        }

        return name switch
        {
            "imsi" => context.Imsi,
            "simId" => context.SimId,
            "operatorId" => context.OperatorId,
            "date" => Date(context, d => string.Create(CultureInfo.InvariantCulture, $"{d.Year}/{d.Month}/{d.Day}")),
            "year" => Date(context, d => d.Year.ToString(CultureInfo.InvariantCulture)),
            "month" => Date(context, d => d.Month.ToString(CultureInfo.InvariantCulture)),
            "day" => Date(context, d => d.Day.ToString(CultureInfo.InvariantCulture)),
            "coverage" => context.Coverage,
            "oldStatus" => context.OldStatus,
            "newStatus" => context.NewStatus,
            "oldSpeedClass" => context.OldSpeedClass,
            "newSpeedClass" => context.NewSpeedClass,
            "subscription" => context.Subscription,
            "otaStatus" => context.OtaStatus,
            "primaryImsi" => context.PrimaryImsi,
            "sessionStatus" => context.SessionStatus,
            "imei" => context.Imei,
            _ => null,
        };
    }

    private static string? Date(VariableContext context, Func<DateTimeOffset, string> format) =>
        context.MatchTime is { } ms ? format(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : null;
}
