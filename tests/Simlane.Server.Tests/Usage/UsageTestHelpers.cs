using System.Net;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Usage;

public static class UsageTestHelpers
{
    public static string Imsi(this ApiResponse sim) => sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();

    public static object Record(string imsi, long unixtime, long up, long down, string? speedClass = null, string? recordId = null) => new
    {
        recordId = recordId ?? Guid.NewGuid().ToString("N"),
        imsi,
        unixtime,
        speedClass,
        uploadBytes = up,
        downloadBytes = down,
        uploadPackets = 1,
        downloadPackets = 2,
    };

    public static Task<ApiResponse> PostUsageAsync(this ApiClient gateway, params object[] records) =>
        gateway.PostAsync("/v1/gateway/usage", new { records });

    public static async Task<JsonArray> StatsAsync(this ApiClient op, string path, long from, long to, string period) =>
        (await op.GetAsync($"/v1/stats/air/{path}?from={from}&to={to}&period={period}")).ShouldBe(HttpStatusCode.OK).Array;

    /// <summary>(unixtime, upload, download) per bucket, summed over speed classes; works for both response shapes.</summary>
    public static List<(long Unixtime, long Up, long Down)> Buckets(this JsonArray stats) =>
        stats.Select(b =>
        {
            var unixtime = b!["unixtime"]!.GetValue<long>();
            if (b["dataTrafficStatsMap"] is JsonObject map)
            {
                return (unixtime,
                    map.Sum(p => p.Value!["uploadByteSizeTotal"]!.GetValue<long>()),
                    map.Sum(p => p.Value!["downloadByteSizeTotal"]!.GetValue<long>()));
            }

            return (unixtime, b["uploadByteSizeTotal"]!.GetValue<long>(), b["downloadByteSizeTotal"]!.GetValue<long>());
        }).ToList();

    public static async Task<string> CreateGroupAsync(this ApiClient op) =>
        (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
}
