using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Server.Usage;
using Simlane.Storage;

namespace Simlane.Server.Stats;

/// <summary>
/// <c>/v1/stats/air/*</c>: traffic read from the usage counters, as domain.md 1.8 and docs/stats.md say.
/// <c>from</c> and <c>to</c> are epoch seconds and are snapped outwards to whole UTC buckets (month, day,
/// five minutes). The look-back limit is measured from the server's current time: <c>from</c> may be at
/// most 18 months (month, day) or 32 days (minutes) before now for SIMs and subscribers, 3 months (month)
/// or 7 days (day) for groups and operators; an older <c>from</c> is 400. <c>to</c> may lie in the future
/// (the buckets there are simply empty); <c>from</c> after <c>to</c> is 400. Only buckets with traffic are
/// listed, oldest first.
/// </summary>
public static class AirStatsApi
{
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static readonly string[] DetailedPeriods = ["month", "day", "minutes"];
    private static readonly string[] AggregatedPeriods = ["month", "day"];

    public static void Map(RouteGroupBuilder v1)
    {
        var stats = v1.MapGroup("/stats/air").WithTags("Stats").ReadsFoldedUsage();
        stats.MapGet("/subscribers/{imsi}", GetSubscriberAsync).WithName("getAirStats").Produces<List<AirStatsResponse>>();
        stats.MapGet("/sims/{sim_id}", GetSimAsync).WithName("getAirStatsOfSim").Produces<List<AirStatsResponse>>();
        stats.MapGet("/groups/{group_id}", GetGroupAsync).WithName("getAirStatsOfGroup").Produces<List<AirAggregatedStatsResponse>>();
        stats.MapGet("/operators/{operator_id}", GetOperatorAsync).WithName("getAirStatsOfOperator").Produces<List<AirAggregatedStatsResponse>>();
    }

    public sealed record DataTrafficStats(long UploadByteSizeTotal, long DownloadByteSizeTotal, long UploadPacketSizeTotal, long DownloadPacketSizeTotal);

    public sealed record AirStatsResponse(long Unixtime, string Date, IReadOnlyDictionary<string, DataTrafficStats> DataTrafficStatsMap);

    public sealed record AirAggregatedStatsResponse(long Unixtime, long UploadByteSizeTotal, long DownloadByteSizeTotal);

    /// <summary>A validated, snapped query: counters of <see cref="Period"/> with bucket start in [Start, End).</summary>
    public sealed record Window(UsagePeriod Period, long Start, long End);

    private static async Task<IResult> GetSubscriberAsync(string imsi, HttpRequest request, SimAccess access, SimlaneDb db, Usage.UsageOverlay overlay, TimeProvider clock)
    {
        var window = Parse(request.Query, detailed: true, clock);
        var (sim, _) = await access.GetByImsiAsync(imsi);
        return await DetailedAsync(db, overlay, sim, [imsi], window);
    }

    private static async Task<IResult> GetSimAsync(string sim_id, HttpRequest request, SimAccess access, SimlaneDb db, Usage.UsageOverlay overlay, TimeProvider clock)
    {
        var window = Parse(request.Query, detailed: true, clock);
        var sim = await access.GetBySimIdAsync(sim_id);

        // A SIM's traffic is its subscriptions' (decision S66).
        return await DetailedAsync(db, overlay, sim, sim.Subscriptions.Select(s => s.Imsi).ToList(), window);
    }

    private static async Task<IResult> GetGroupAsync(string group_id, HttpRequest request, Caller caller, SimlaneDb db, Usage.UsageOverlay overlay, TimeProvider clock)
    {
        var window = Parse(request.Query, detailed: false, clock);
        var operatorId = caller.OperatorId;
        if (!await db.Groups.AsNoTracking().AnyAsync(g => g.GroupId == group_id && g.OperatorId == operatorId))
        {
            throw new SimlaneException(ErrorCodes.GroupNotFound, $"No group '{group_id}'");
        }

        return await AggregatedAsync(db, overlay, operatorId, UsageScope.Group, group_id, window);
    }

    /// <summary>Another operator's ID is 400 AUM0010, exactly as getOperator answers it.</summary>
    private static async Task<IResult> GetOperatorAsync(string operator_id, HttpRequest request, Caller caller, SimlaneDb db, Usage.UsageOverlay overlay, TimeProvider clock)
    {
        var window = Parse(request.Query, detailed: false, clock);
        if (!string.Equals(operator_id, caller.OperatorId, StringComparison.Ordinal))
        {
            throw new SimlaneException(ErrorCodes.InvalidOperatorId, $"Invalid operator ID '{operator_id}'");
        }

        return await AggregatedAsync(db, overlay, operator_id, UsageScope.Operator, operator_id, window);
    }

    /// <summary>Checks from, to and period and snaps them to whole buckets.</summary>
    public static Window Parse(IQueryCollection query, bool detailed, TimeProvider clock)
    {
        var from = QueryParams.TimeSeconds(query, "from") ?? throw new SimlaneException(ErrorCodes.InvalidQueryParameter, "from is required (epoch seconds)");
        var to = QueryParams.TimeSeconds(query, "to") ?? throw new SimlaneException(ErrorCodes.InvalidQueryParameter, "to is required (epoch seconds)");
        var period = QueryParams.Enum(query, "period", detailed ? DetailedPeriods : AggregatedPeriods)
            ?? throw new SimlaneException(ErrorCodes.InvalidQueryParameter, "period is required");
        return Snap(from, to, period, detailed, clock, ErrorCodes.InvalidQueryParameter);
    }

    /// <summary>
    /// The look-back rules shared by the queries and exportAirStats (whose from, to and period come in a
    /// body, so its failures answer <paramref name="error"/>): checks and snaps to whole buckets.
    /// </summary>
    public static Window Snap(long from, long to, string period, bool detailed, TimeProvider clock, ErrorCode error)
    {
        if (from > to)
        {
            throw new SimlaneException(error, "from must not be after to");
        }

        var now = clock.GetUtcNow();
        var (usagePeriod, earliest, limit) = (period, detailed) switch
        {
            ("month", true) => (UsagePeriod.Month, now.AddMonths(-18), "18 months"),
            ("day", true) => (UsagePeriod.Day, now.AddMonths(-18), "18 months"),
            ("minutes", _) => (UsagePeriod.FiveMinutes, now.AddDays(-32), "32 days"),
            ("month", false) => (UsagePeriod.Month, now.AddMonths(-3), "3 months"),
            _ => (UsagePeriod.Day, now.AddDays(-7), "7 days"),
        };
        if (from < earliest.ToUnixTimeSeconds())
        {
            throw new SimlaneException(error, $"from: period {period} looks back at most {limit} from now");
        }

        return new Window(usagePeriod, UsageWindows.BucketStart(usagePeriod, from), UsageWindows.NextBucketStart(usagePeriod, to));
    }

    /// <summary>The traffic of <paramref name="imsis"/> (one subscriber, or every subscription of a SIM) per bucket and speed class.</summary>
    private static async Task<IResult> DetailedAsync(SimlaneDb db, Usage.UsageOverlay overlay, Sim sim, IReadOnlyList<string> imsis, Window window)
    {
        // SORACOM: "the data traffic of the terminated IoT SIM cannot be confirmed".
        if (sim.Status == SimStatus.Terminated)
        {
            return Results.Json(Array.Empty<AirStatsResponse>(), Json.Options);
        }

        var rows = await CountersAsync(db, overlay, sim.OperatorId!, UsageScope.Subscriber, imsis, window);
        var result = rows
            .GroupBy(r => r.BucketStart)
            .OrderBy(g => g.Key)
            .Select(g => new AirStatsResponse(
                g.Key,
                DateTimeOffset.FromUnixTimeSeconds(g.Key).UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture),
                g.GroupBy(r => r.SpeedClass, StringComparer.Ordinal).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(
                    s => s.Key,
                    s => new DataTrafficStats(s.Sum(r => r.UploadBytes), s.Sum(r => r.DownloadBytes), s.Sum(r => r.UploadPackets), s.Sum(r => r.DownloadPackets)),
                    StringComparer.Ordinal)))
            .ToList();
        return Results.Json(result, Json.Options);
    }

    private static async Task<IResult> AggregatedAsync(SimlaneDb db, Usage.UsageOverlay overlay, string operatorId, UsageScope scope, string scopeId, Window window)
    {
        var rows = await CountersAsync(db, overlay, operatorId, scope, [scopeId], window);
        var result = rows
            .GroupBy(r => r.BucketStart)
            .OrderBy(g => g.Key)
            .Select(g => new AirAggregatedStatsResponse(g.Key, g.Sum(r => r.UploadBytes), g.Sum(r => r.DownloadBytes)))
            .ToList();
        return Results.Json(result, Json.Options);
    }

    /// <summary>
    /// The unit's counters in the window, by the primary key's prefix (scope, unit, period, bucket); the operator is
    /// checked on the few rows found. With the operator in the query SQLite (no ANALYZE statistics) picks the
    /// (operator, scope, period, bucket) index and scans every unit of the operator: seconds at a million SIMs.
    /// </summary>
    private static async Task<List<UsageCounter>> CountersAsync(
        SimlaneDb db, Usage.UsageOverlay overlay, string operatorId, UsageScope scope, IReadOnlyList<string> scopeIds, Window window)
    {
        var stored = Usage.SubscriberMonths.Stored(scope, window.Period);
        var rows = Usage.SubscriberMonths.As(scope, window.Period, await overlay.CountersAsync(
            db,
            db.UsageCounters.AsNoTracking().Where(c =>
                c.Scope == scope && scopeIds.Contains(c.ScopeId) && c.Period == stored && c.BucketStart >= window.Start && c.BucketStart < window.End),
            scope, scopeIds, (k, _) => k.Period == stored && k.BucketStart >= window.Start && k.BucketStart < window.End, CancellationToken.None));
        rows.RemoveAll(c => !string.Equals(c.OperatorId, operatorId, StringComparison.Ordinal));
        return rows;
    }
}
