using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Auth;
using Simlane.Server.Gateway;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Server.Usage;
using Simlane.Storage;

namespace Simlane.Server.Sandbox;

/// <summary>
/// <c>POST /v1/sandbox/stats/air/subscribers/{imsi}</c> (sandboxInsertAirStats): test traffic for one of the
/// caller's IMSIs, through the same metering path as the gateway. One insert is one record with the ID
/// <c>sandbox:{imsi}:{unixtime}</c> in the caller's own record-ID namespace, so the same (IMSI, unixtime) twice is
/// 400 SBX1012 and adds nothing, and no other operator can pre-empt or detect it.
/// </summary>
public static class SandboxStatsApi
{
    public static void Map(RouteGroupBuilder sandbox)
    {
        sandbox.MapPost("/stats/air/subscribers/{imsi}", InsertAsync).WithName("sandboxInsertAirStats")
            .Accepts<InsertAirStatsRequest>("application/json").Produces(StatusCodes.Status200OK);
    }

    public sealed class InsertAirStatsRequest
    {
        public long? Unixtime { get; set; }

        public Dictionary<string, TrafficBody?>? DataTrafficStatsMap { get; set; }
    }

    public sealed class TrafficBody
    {
        public long? UploadByteSizeTotal { get; set; }

        public long? DownloadByteSizeTotal { get; set; }

        public long? UploadPacketSizeTotal { get; set; }

        public long? DownloadPacketSizeTotal { get; set; }
    }

    private static async Task<IResult> InsertAsync(string imsi, HttpRequest request, Caller caller, SimAccess access, Metering metering, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<InsertAirStatsRequest>(request);
        var unixtime = InputLimits.TimeSeconds(Require.Present(body.Unixtime, "unixtime"), "unixtime");
        Metering.ValidateTime(unixtime, clock.GetUtcNow().ToUnixTimeSeconds(), "unixtime");

        var map = body.DataTrafficStatsMap;
        if (map is null || map.Count == 0)
        {
            throw new SimlaneException(ErrorCodes.MissingField, "dataTrafficStatsMap is required and must name at least one speed class");
        }

        // Kept past the de-duplication window (decisions.md S61), so the same (IMSI, unixtime) stays 400 SBX1012 for good.
        var recordId = $"{UsageRecordRetention.SandboxPrefix}{imsi}:{unixtime}";
        var inputs = new List<MeterInput>();
        foreach (var (speedClass, traffic) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = $"dataTrafficStatsMap.{speedClass}";
            Require.OneOf(speedClass, "dataTrafficStatsMap key", SpeedClasses.All);
            var t = traffic ?? throw new SimlaneException(ErrorCodes.MissingField, $"{at} must be an object");
            inputs.Add(new MeterInput(0, recordId, imsi, unixtime, speedClass, new TrafficTotals(
                GatewayUsageApi.NonNegative(t.UploadByteSizeTotal ?? 0, $"{at}.uploadByteSizeTotal"),
                GatewayUsageApi.NonNegative(t.DownloadByteSizeTotal ?? 0, $"{at}.downloadByteSizeTotal"),
                GatewayUsageApi.NonNegative(t.UploadPacketSizeTotal ?? 0, $"{at}.uploadPacketSizeTotal"),
                GatewayUsageApi.NonNegative(t.DownloadPacketSizeTotal ?? 0, $"{at}.downloadPacketSizeTotal"))));
        }

        // Another operator's IMSI is 404, as everywhere in the operator API.
        await access.GetByImsiAsync(imsi);
        var operatorId = caller.OperatorId;
        await metering.IngestAsync(inputs, operatorId, rejectDuplicates: true, duplicateError: ErrorCodes.AirStatsExist, sharedIdsAreParts: true);

        return Results.Ok();
    }
}
