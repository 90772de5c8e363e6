using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.Extensions;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// SORACOM paging: the client sends <c>limit</c> and <c>last_evaluated_key</c>; the server answers
/// <c>x-soracom-next-key</c> and a <c>Link: &lt;…&gt;; rel=next</c> header while more items remain.
/// Lists page by a stable key (keyset), so limit=1 visits every item exactly once even while items
/// are added.
/// </summary>
public static class Paging
{
    public const string NextKeyHeader = "x-soracom-next-key";

    /// <summary>
    /// One page of <paramref name="source"/> in <paramref name="key"/> order, starting after the client's
    /// <c>last_evaluated_key</c>, with the next-key headers set when more items remain.
    /// </summary>
    public static async Task<List<T>> PageByKeyAsync<T>(this IQueryable<T> source, HttpContext context, Expression<Func<T, string>> key, string? after, int limit)
    {
        if (after is not null)
        {
            // CompareTo against a captured value, so the cursor is sent as a parameter, not inlined.
            var cursor = new Cursor(after);
            var compare = Expression.Call(key.Body, typeof(string).GetMethod(nameof(string.CompareTo), [typeof(string)])!, Expression.Property(Expression.Constant(cursor), nameof(Cursor.Value)));
            source = source.Where(Expression.Lambda<Func<T, bool>>(Expression.GreaterThan(compare, Expression.Constant(0)), key.Parameters));
        }

        var page = await source.OrderBy(key).Take(limit + 1).ToListAsync(context.RequestAborted);
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = key.Compile()(page[^1]);
        }

        SetNextKey(context, next);
        return page;
    }

    /// <summary>
    /// The last path segment exactly as the client encoded it, fully percent-decoded. Route values are not
    /// enough: ASP.NET Core leaves <c>%2F</c> encoded, and undoing that by hand would also turn a
    /// literal <c>%2F</c> (sent as <c>%252F</c>) into a slash.
    /// </summary>
    public static string LastPathSegment(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        var rawSegments = (raw ?? "").Split('?', 2)[0].Split('/');
        var routedSegments = (context.Request.Path.Value ?? "").Split('/');

        // Hosts that do not keep the wire form (the in-process test server) fall back to undoing %2F only.
        return rawSegments.Length == routedSegments.Length && rawSegments.Length > 1
            ? Uri.UnescapeDataString(rawSegments[^1])
            : routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    private sealed record Cursor(string Value);

    public static void SetNextKey(HttpContext context, string? nextKey)
    {
        if (nextKey is null)
        {
            return;
        }

        context.Response.Headers[NextKeyHeader] = nextKey;
        var request = context.Request;
        var query = new QueryBuilder(request.Query
            .Where(q => q.Key != "last_evaluated_key")
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))))
        {
            { "last_evaluated_key", nextKey },
        };
        context.Response.Headers.Link = $"<{request.PathBase}{request.Path}{query}>; rel=next";
    }
}

/// <summary>Query-string parsing that answers 400 naming the parameter.</summary>
public static class QueryParams
{
    /// <summary>A query parameter's value; longer than <see cref="InputLimits.QueryValueMax"/> is 400 (no key, name or filter is that long).</summary>
    public static string? Text(IQueryCollection query, string name)
    {
        var value = query[name].ToString();
        if (value.Length > InputLimits.QueryValueMax)
        {
            throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: at most {InputLimits.QueryValueMax} characters");
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static long? Number(IQueryCollection query, string name)
    {
        var value = Text(query, name);
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? parsed
            : throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: '{value}' is not a non-negative integer");
    }

    /// <summary>The bound of a time range in epoch ms (<c>from</c>, <c>to</c>): 0 up to the latest instant of <see cref="InputLimits"/>.</summary>
    public static long? TimeMs(IQueryCollection query, string name)
    {
        var value = Number(query, name);
        return value is null || InputLimits.IsValidQueryBoundMs(value.Value)
            ? value
            : throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: {value} is beyond {InputLimits.RangeText} (epoch ms)");
    }

    /// <summary>The bound of a time range in epoch seconds (Air stats).</summary>
    public static long? TimeSeconds(IQueryCollection query, string name)
    {
        var value = Number(query, name);
        return value is null || value.Value < InputLimits.MaxTimeMs / 1000
            ? value
            : throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: {value} is beyond {InputLimits.RangeText} (epoch seconds)");
    }

    public static string? Enum(IQueryCollection query, string name, IReadOnlyCollection<string> allowed)
    {
        var value = Text(query, name);
        return value is null || allowed.Contains(value)
            ? value
            : throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"{name}: '{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>
    /// The page size. Below 1 is always 400; above <paramref name="max"/> is 400 where the spec sets a
    /// maximum and is clamped where it says only that fewer items may come back.
    /// </summary>
    public static int Limit(IQueryCollection query, int defaultValue, int max, bool clampAboveMax)
    {
        var value = Text(query, "limit");
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) || limit < 1 || (limit > max && !clampAboveMax))
        {
            throw new SimlaneException(ErrorCodes.InvalidQueryParameter, $"limit: must be an integer from 1 to {max}, not '{value}'");
        }

        return Math.Min(limit, max);
    }

    public static string? Cursor(IQueryCollection query) => Text(query, "last_evaluated_key");

    public static long? CursorLong(IQueryCollection query)
    {
        var value = Cursor(query);
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new SimlaneException(ErrorCodes.InvalidPaginationKey, $"last_evaluated_key: '{value}' is not a key of this list");
    }
}
