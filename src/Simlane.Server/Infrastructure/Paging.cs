using System.Globalization;
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
    public static string? Text(IQueryCollection query, string name)
    {
        var value = query[name].ToString();
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
