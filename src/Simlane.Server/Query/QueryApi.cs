using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Query;

/// <summary>
/// <c>/v1/query/sims</c> and <c>/v1/query/subscribers</c>: partial, case-insensitive search. Every
/// parameter may be repeated and a value may hold several comma-separated values; each value must be at
/// least 2 characters. A parameter matches when any of its values matches; parameters combine by
/// <c>search_type</c> (and/or). <c>session_status</c> is a state filter and always narrows the result.
/// Matching lower-cases both sides in SQL and escapes <c>%</c>, <c>_</c> and <c>\</c> in user values, so
/// SQLite and PostgreSQL answer the same.
/// </summary>
public static class QueryApi
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;
    private const string Escape = "\\";

    public static void Map(RouteGroupBuilder query)
    {
        query.MapGet("/sims", SearchSimsAsync).WithName("searchSims").Produces<SimView[]>();
        query.MapGet("/subscribers", SearchSubscribersAsync).WithName("searchSubscribers").Produces<SubscriberView[]>();
    }

    private static async Task<IResult> SearchSimsAsync(HttpContext context, SimAccess access)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, DefaultPageSize, MaxPageSize, clampAboveMax: false);
        var after = QueryParams.Cursor(query);
        var or = SearchType(query);
        var sessionStatus = QueryParams.Enum(query, "session_status", ["NA", "ONLINE", "OFFLINE"]) ?? "NA";
        var db = access.Db;

        var conditions = new List<Expression<Func<Sim, bool>>>();
        if (Patterns(query, "name") is { } names)
        {
            conditions.Add(s => s.Tags.Any(t => t.Name == "name" && names.Any(p => EF.Functions.Like(t.Value.ToLower(), p, Escape))));
        }

        if (Patterns(query, "group") is { } groups)
        {
            conditions.Add(s => s.GroupId != null && db.GroupTags.Any(t => t.GroupId == s.GroupId && t.Name == "name" && groups.Any(p => EF.Functions.Like(t.Value.ToLower(), p, Escape))));
        }

        if (Patterns(query, "group_id") is { } groupIds)
        {
            conditions.Add(s => s.GroupId != null && groupIds.Any(p => EF.Functions.Like(s.GroupId.ToLower(), p, Escape)));
        }

        if (Patterns(query, "sim_id") is { } simIds)
        {
            conditions.Add(s => simIds.Any(p => EF.Functions.Like(s.SimId.ToLower(), p, Escape)));
        }

        if (Patterns(query, "imsi") is { } imsis)
        {
            conditions.Add(s => s.Subscriptions.Any(x => imsis.Any(p => EF.Functions.Like(x.Imsi.ToLower(), p, Escape))));
        }

        if (Patterns(query, "msisdn") is { } msisdns)
        {
            conditions.Add(s => s.Subscriptions.Any(x => x.Msisdn != null && msisdns.Any(p => EF.Functions.Like(x.Msisdn.ToLower(), p, Escape))));
        }

        if (Patterns(query, "iccid") is { } iccids)
        {
            conditions.Add(s => s.Subscriptions.Any(x => iccids.Any(p => EF.Functions.Like(x.Iccid.ToLower(), p, Escape))));
        }

        if (Patterns(query, "serial_number") is { } serials)
        {
            conditions.Add(s => s.SerialNumber != null && serials.Any(p => EF.Functions.Like(s.SerialNumber.ToLower(), p, Escape)));
        }

        if (Patterns(query, "tag") is { } tags)
        {
            conditions.Add(s => s.Tags.Any(t => tags.Any(p => EF.Functions.Like(t.Value.ToLower(), p, Escape))));
        }

        if (Values(query, "bundles") is { } bundles)
        {
            // Bundles are stored as one JSON array text per subscription (a value-converted column EF
            // cannot search), so Storage searches that text (SimSearch); bundle names hold no
            // JSON-escaped characters, so a partial match on the text is one on a name.
            var perValue = bundles.Select(b =>
            {
                var ids = db.SimIdsWithBundleLike("%" + EscapeLike(b.ToLowerInvariant()) + "%");
                return (Expression<Func<Sim, bool>>)(s => ids.Contains(s.SimId));
            }).ToList();
            conditions.Add(Combine(perValue, or: true));
        }

        if (Values(query, "status") is { } statusValues)
        {
            var statuses = SimStatusNames.All
                .Where(s => statusValues.Any(v => s.ToWire().Contains(v, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            conditions.Add(s => statuses.Contains(s.Status));
        }

        if (Values(query, "subscription") is { } plans)
        {
            var lowered = plans.Select(p => p.ToLowerInvariant()).ToList();
            conditions.Add(s => s.Subscriptions.Any(x => lowered.Contains(x.Plan.ToLower())));
        }

        if (Patterns(query, "module_type") is { } moduleTypes)
        {
            conditions.Add(s => moduleTypes.Any(p => EF.Functions.Like(s.ModuleType.ToLower(), p, Escape)));
        }

        var sims = access.Owned().AsNoTracking();
        if (conditions.Count > 0)
        {
            sims = sims.Where(Combine(conditions, or));
        }

        // Online = the SIM has a current session (one not yet deleted).
        var current = access.Db.Sessions.Where(x => x.DeletedTime == null);
        if (sessionStatus == "ONLINE")
        {
            sims = sims.Where(s => current.Any(x => x.SimId == s.SimId));
        }
        else if (sessionStatus == "OFFLINE")
        {
            sims = sims.Where(s => !current.Any(x => x.SimId == s.SimId));
        }

        var page = await sims.PageByKeyAsync(context, s => s.SimId, after, limit);
        return Results.Json(await access.SimViewsAsync(page), Json.Options);
    }

    private static async Task<IResult> SearchSubscribersAsync(HttpContext context, SimAccess access)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, DefaultPageSize, MaxPageSize, clampAboveMax: false);
        var after = QueryParams.Cursor(query);
        var or = SearchType(query);
        var db = access.Db;
        var owned = access.Owned();

        var conditions = new List<Expression<Func<Subscription, bool>>>();

        // Conditions on the SIM a subscription belongs to.
        void OnSim(Expression<Func<Sim, bool>> condition)
        {
            var ids = owned.Where(condition).Select(s => s.SimId);
            conditions.Add(x => ids.Contains(x.SimId));
        }

        if (Patterns(query, "name") is { } names)
        {
            OnSim(s => s.Tags.Any(t => t.Name == "name" && names.Any(p => EF.Functions.Like(t.Value.ToLower(), p, Escape))));
        }

        if (Patterns(query, "group") is { } groups)
        {
            OnSim(s => s.GroupId != null && db.GroupTags.Any(t => t.GroupId == s.GroupId && t.Name == "name" && groups.Any(p => EF.Functions.Like(t.Value.ToLower(), p, Escape))));
        }

        if (Patterns(query, "imsi") is { } imsis)
        {
            conditions.Add(x => imsis.Any(p => EF.Functions.Like(x.Imsi.ToLower(), p, Escape)));
        }

        if (Patterns(query, "msisdn") is { } msisdns)
        {
            conditions.Add(x => x.Msisdn != null && msisdns.Any(p => EF.Functions.Like(x.Msisdn.ToLower(), p, Escape)));
        }

        if (Patterns(query, "iccid") is { } iccids)
        {
            conditions.Add(x => iccids.Any(p => EF.Functions.Like(x.Iccid.ToLower(), p, Escape)));
        }

        if (Patterns(query, "serial_number") is { } serials)
        {
            OnSim(s => s.SerialNumber != null && serials.Any(p => EF.Functions.Like(s.SerialNumber.ToLower(), p, Escape)));
        }

        if (Patterns(query, "tag") is { } tags)
        {
            OnSim(s => s.Tags.Any(t => tags.Any(p => EF.Functions.Like(t.Value.ToLower(), p, Escape))));
        }

        if (Values(query, "subscription") is { } plans)
        {
            var lowered = plans.Select(p => p.ToLowerInvariant()).ToList();
            conditions.Add(x => lowered.Contains(x.Plan.ToLower()));
        }

        if (Patterns(query, "module_type") is { } moduleTypes)
        {
            OnSim(s => moduleTypes.Any(p => EF.Functions.Like(s.ModuleType.ToLower(), p, Escape)));
        }

        var ownedIds = owned.Select(s => s.SimId);
        var subscriptions = db.Subscriptions.AsNoTracking().Where(x => ownedIds.Contains(x.SimId));
        if (conditions.Count > 0)
        {
            subscriptions = subscriptions.Where(Combine(conditions, or));
        }

        var page = await subscriptions.PageByKeyAsync(context, x => x.Imsi, after, limit);
        var items = await SimListsApi.SubscriberViewsAsync(access, page.Select(x => (x.Imsi, x.SimId)).ToList());
        return Results.Json(items, Json.Options);
    }

    private static bool SearchType(IQueryCollection query) =>
        (QueryParams.Enum(query, "search_type", ["and", "or", "AND", "OR"]) ?? "and").Equals("or", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every value of a repeatable parameter, commas splitting a value into several; null when the
    /// parameter is absent or empty. Each value must be at least 2 characters.
    /// </summary>
    private static List<string>? Values(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var raw))
        {
            return null;
        }

        var values = new List<string>();
        foreach (var text in raw)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (var value in text.Split(','))
            {
                if (value.Length < 2)
                {
                    throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: each search value must be at least 2 characters, not '{value}'");
                }

                if (value.Length > InputLimits.SearchValueMax)
                {
                    throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: each search value must be at most {InputLimits.SearchValueMax} characters");
                }

                values.Add(value);
                if (values.Count > InputLimits.SearchValuesMax)
                {
                    throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: at most {InputLimits.SearchValuesMax} search values");
                }
            }
        }

        return values.Count == 0 ? null : values;
    }

    /// <summary>The values of a parameter as lower-case LIKE patterns for a partial match.</summary>
    private static List<string>? Patterns(IQueryCollection query, string name) =>
        Values(query, name)?.Select(v => "%" + EscapeLike(v.ToLowerInvariant()) + "%").ToList();

    private static string EscapeLike(string value)
    {
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '%' or '_' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static Expression<Func<T, bool>> Combine<T>(List<Expression<Func<T, bool>>> conditions, bool or)
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        var body = conditions
            .Select(c => new ReplaceParameter(c.Parameters[0], parameter).Visit(c.Body))
            .Aggregate((a, b) => or ? Expression.OrElse(a, b) : Expression.AndAlso(a, b));
        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    private sealed class ReplaceParameter(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
