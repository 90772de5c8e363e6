using System.Text.RegularExpressions;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// SORACOM-like rate limits, bound from <c>Simlane:RateLimits</c> (docs/operations.md, "Rate limits"): each
/// route group allows <see cref="RateLimitGroupOptions.Limit"/> requests per window, counted per operator (or
/// per client IP for the sign-in routes). Groups given in configuration are laid over <see cref="Defaults"/>,
/// field by field, so <c>Simlane:RateLimits:Groups:sims:Limit=1000</c> changes one limit only.
/// </summary>
public sealed partial class RateLimitOptions
{
    public const string Section = "Simlane:RateLimits";

    public const string ByOperator = "operator";

    public const string ByIp = "ip";

    /// <summary>Off answers no rate-limit headers and never 429.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The length of a window; it starts with the first request of an operator (or IP) to a group.</summary>
    public int WindowSeconds { get; set; } = 60;

    public Dictionary<string, RateLimitGroupOptions> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The built-in groups. The packet gateway's platform API (/v1/gateway) is never limited per operator.</summary>
    public static IReadOnlyDictionary<string, RateLimitGroupOptions> Defaults { get; } = new Dictionary<string, RateLimitGroupOptions>(StringComparer.Ordinal)
    {
        ["auth"] = new() { Limit = 60, PartitionBy = ByIp, Paths = ["/v1/auth", "/v1/sandbox/init"] },
        ["operators"] = new() { Limit = 120, Paths = ["/v1/operators"] },
        ["sims"] = new() { Limit = 600, Paths = ["/v1/sims", "/v1/subscribers", "/v1/query"] },
        ["groups"] = new() { Limit = 300, Paths = ["/v1/groups"] },
        ["eventHandlers"] = new() { Limit = 300, Paths = ["/v1/event_handlers"] },
        ["credentials"] = new() { Limit = 120, Paths = ["/v1/credentials"] },
        ["stats"] = new() { Limit = 300, Paths = ["/v1/stats"] },
        ["bills"] = new() { Limit = 120, Paths = ["/v1/bills"] },
        ["sandbox"] = new() { Limit = 600, Paths = ["/v1/sandbox"] },
        ["other"] = new() { Limit = 300, Paths = ["/v1"] },
    };

    /// <summary>The groups in effect: the defaults with the configured groups laid over them.</summary>
    public IReadOnlyDictionary<string, RateLimitGroupOptions> EffectiveGroups()
    {
        var groups = new Dictionary<string, RateLimitGroupOptions>(StringComparer.Ordinal);
        foreach (var name in Defaults.Keys.Union(Groups.Keys, StringComparer.Ordinal))
        {
            Defaults.TryGetValue(name, out var basis);
            Groups.TryGetValue(name, out var configured);
            groups[name] = new RateLimitGroupOptions
            {
                Limit = configured?.Limit ?? basis?.Limit,
                PartitionBy = configured?.PartitionBy ?? basis?.PartitionBy ?? ByOperator,
                Paths = configured?.Paths is { Length: > 0 } paths ? paths : basis?.Paths ?? [],
            };
        }

        return groups;
    }

    public void Validate()
    {
        if (WindowSeconds is < 1 or > 3600)
        {
            throw new InvalidOperationException($"{Section}:WindowSeconds must be between 1 and 3600, not {WindowSeconds}");
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, group) in EffectiveGroups())
        {
            var key = $"{Section}:Groups:{name}";
            if (!GroupName().IsMatch(name))
            {
                throw new InvalidOperationException($"{key}: a group name is 1 to 40 letters, digits, '_' or '-'");
            }

            if (group.Limit is not (>= 1 and <= 1_000_000))
            {
                throw new InvalidOperationException($"{key}:Limit must be between 1 and 1000000, not {group.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "empty"}");
            }

            if (group.PartitionBy is not (ByOperator or ByIp))
            {
                throw new InvalidOperationException($"{key}:PartitionBy must be '{ByOperator}' or '{ByIp}', not '{group.PartitionBy}'");
            }

            if (group.Paths.Length == 0)
            {
                throw new InvalidOperationException($"{key}:Paths must name at least one path prefix (e.g. /v1/sims)");
            }

            foreach (var path in group.Paths)
            {
                if (!PathPrefix().IsMatch(path))
                {
                    throw new InvalidOperationException($"{key}:Paths: '{path}' is not a path prefix under /v1 (e.g. /v1/sims, no trailing '/')");
                }

                if (path.StartsWith(GatewayPath, StringComparison.Ordinal) && (path.Length == GatewayPath.Length || path[GatewayPath.Length] == '/'))
                {
                    throw new InvalidOperationException($"{key}:Paths: '{path}' is the packet gateway's platform API, which is not rate limited per operator");
                }

                if (!owners.TryAdd(path, name))
                {
                    throw new InvalidOperationException($"{key}:Paths: '{path}' is already in group '{owners[path]}'");
                }
            }
        }
    }

    public const string GatewayPath = "/v1/gateway";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex GroupName();

    [GeneratedRegex("^/v1(/[A-Za-z0-9_.~-]+)*$")]
    private static partial Regex PathPrefix();
}

/// <summary>One route group: its limit per window, how callers are told apart, and the path prefixes it covers.</summary>
public sealed class RateLimitGroupOptions
{
    /// <summary>Requests allowed per window and partition (1 to 1,000,000).</summary>
    public int? Limit { get; set; }

    /// <summary><c>operator</c> (the authenticated caller; unauthenticated requests by client IP) or <c>ip</c>.</summary>
    public string? PartitionBy { get; set; }

    /// <summary>Path prefixes, matched by whole segments; the longest prefix over all groups wins.</summary>
    public string[] Paths { get; set; } = [];
}
