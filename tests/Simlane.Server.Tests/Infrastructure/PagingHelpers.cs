using System.Net;
using System.Text.Json.Nodes;

namespace Simlane.Server.Tests.Infrastructure;

public static class PagingHelpers
{
    /// <summary>
    /// Follows <c>x-soracom-next-key</c> from <paramref name="firstPath"/> until the last page, checking the
    /// Link header on every page that has a next key; <paramref name="betweenPages"/> runs after each page.
    /// Answers every item in order, and how many pages there were.
    /// </summary>
    public static async Task<(List<JsonNode> Items, int Pages)> FetchAllAsync(this ApiClient op, string firstPath, Func<Task>? betweenPages = null)
    {
        var items = new List<JsonNode>();
        var path = firstPath;
        for (var pages = 1; ; pages++)
        {
            pages.ShouldBeLessThan(500, "paging does not terminate");
            var response = (await op.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
            items.AddRange(response.Array.Select(i => i!.DeepClone()));
            var next = response.Header("x-soracom-next-key");
            if (next is null)
            {
                response.Header("link").ShouldBeNull();
                return (items, pages);
            }

            var link = response.Header("link");
            link.ShouldNotBeNull();
            link.ShouldContain("last_evaluated_key=" + Uri.EscapeDataString(next));
            link.ShouldEndWith(">; rel=next");
            link.ShouldStartWith("<" + firstPath.Split('?')[0]);

            if (betweenPages is not null)
            {
                await betweenPages();
            }

            var separator = firstPath.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            path = $"{firstPath}{separator}last_evaluated_key={Uri.EscapeDataString(next)}";
        }
    }

    public static List<string> Strings(this IEnumerable<JsonNode> items, string property) =>
        [.. items.Select(i => i[property]!.GetValue<string>())];
}
