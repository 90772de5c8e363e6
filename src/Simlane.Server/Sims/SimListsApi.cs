using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Groups;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Sims;

/// <summary><c>GET /v1/sims</c> and <c>GET /v1/subscribers</c> with filters and paging.</summary>
public static class SimListsApi
{
    public const int MaxPageSize = 100;

    /// <summary>Status values <c>status_filter</c> accepts; <c>instock</c> and <c>shipped</c> never match a registered SIM.</summary>
    public static readonly IReadOnlyList<string> FilterStatuses = [.. SimStatusNames.All.Select(s => s.ToWire()), "instock", "shipped"];

    public static void Map(RouteGroupBuilder sims, RouteGroupBuilder subscribers)
    {
        sims.MapGet("/", ListSimsAsync).WithName("listSims").Produces<SimView[]>();
        subscribers.MapGet("/", ListSubscribersAsync).WithName("listSubscribers").Produces<SubscriberView[]>();
    }

    private static async Task<IResult> ListSimsAsync(HttpContext context, SimAccess access)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, defaultValue: MaxPageSize, max: MaxPageSize, clampAboveMax: true);
        var after = QueryParams.Cursor(query);

        var sims = access.Owned().AsNoTracking();
        var page = await sims.PageByKeyAsync(context, s => s.SimId, after, limit);
        return Results.Json(await access.SimViewsAsync(page), Json.Options);
    }

    private static async Task<IResult> ListSubscribersAsync(HttpContext context, SimAccess access)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, defaultValue: MaxPageSize, max: MaxPageSize, clampAboveMax: false);
        var after = QueryParams.Cursor(query);
        var tag = TagFilter.Parse(query);
        var statusValues = PipeList(query, "status_filter", FilterStatuses);
        var speedClasses = PipeList(query, "speed_class_filter", SpeedClasses.All);
        var serialPrefixes = PipeList(query, "serial_number_filter", allowed: null);

        var sims = access.Owned();
        if (tag is not null)
        {
            var (name, value) = (tag.Name, tag.Value);
            sims = tag.Prefix
                ? sims.Where(s => s.Tags.Any(t => t.Name == name && t.Value.Length >= value.Length && t.Value.Substring(0, value.Length) == value))
                : sims.Where(s => s.Tags.Any(t => t.Name == name && t.Value == value));
        }

        if (statusValues is not null)
        {
            var statuses = SimStatusNames.All.Where(s => statusValues.Contains(s.ToWire())).ToList();
            sims = sims.Where(s => statuses.Contains(s.Status));
        }

        if (speedClasses is not null)
        {
            sims = sims.Where(s => speedClasses.Contains(s.SpeedClass));
        }

        if (serialPrefixes is not null)
        {
            sims = sims.Where(s => s.SerialNumber != null && serialPrefixes.Any(p => s.SerialNumber.Length >= p.Length && s.SerialNumber.Substring(0, p.Length) == p));
        }

        var simIds = sims.Select(s => s.SimId);
        var subscriptions = access.Db.Subscriptions.AsNoTracking().Where(x => simIds.Contains(x.SimId));
        var page = await subscriptions.PageByKeyAsync(context, x => x.Imsi, after, limit);
        var items = await SubscriberViewsAsync(access, page.Select(x => (x.Imsi, x.SimId)).ToList());
        return Results.Json(items, Json.Options);
    }

    /// <summary>Loads the SIMs of a page of (IMSI, simId) pairs and answers their Subscriber views in the page's order.</summary>
    public static async Task<List<SubscriberView>> SubscriberViewsAsync(SimAccess access, IReadOnlyList<(string Imsi, string SimId)> page)
    {
        var ids = page.Select(x => x.SimId).Distinct().ToList();
        var loaded = await access.Owned().AsNoTracking().Where(s => ids.Contains(s.SimId)).ToDictionaryAsync(s => s.SimId);
        var sessions = await access.SessionsAsync(ids);
        return [.. page
            .Where(x => loaded.ContainsKey(x.SimId))
            .Select(x =>
            {
                var sim = loaded[x.SimId];
                return sim.ToSubscriberView(sim.Subscriptions.Single(s => s.Imsi == x.Imsi), sessions[x.SimId]);
            })];
    }

    /// <summary>A <c>|</c>-separated filter (<c>%7C</c> when URL-encoded); null when absent. Values outside <paramref name="allowed"/> answer 400.</summary>
    private static List<string>? PipeList(IQueryCollection query, string name, IReadOnlyList<string>? allowed)
    {
        var text = QueryParams.Text(query, name);
        if (text is null)
        {
            return null;
        }

        var values = text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (values.Count == 0)
        {
            throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: no value given");
        }

        foreach (var value in values.Where(v => allowed is not null && !allowed.Contains(v)))
        {
            throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: '{value}' is not one of {string.Join(", ", allowed!)}");
        }

        return values;
    }
}
