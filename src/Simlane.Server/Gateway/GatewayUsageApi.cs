using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Infrastructure;
using Simlane.Server.Usage;

namespace Simlane.Server.Gateway;

/// <summary>
/// <c>/v1/gateway/usage</c>: batches of usage records into the metering path. A batch is atomic: every
/// record is checked first, and one bad record rejects the whole batch with 400 naming its index
/// (<c>records[3].imsi: unknown IMSI</c>) and nothing is stored. Record IDs the SIM's operator already had
/// accepted are skipped and reported as duplicates, so a gateway may resend a batch after a timeout; a batch with a
/// <c>batchId</c> is de-duplicated as a whole instead (one row per batch, decision S68).
/// </summary>
public static class GatewayUsageApi
{
    /// <summary>Most records in one batch; more is 400 GTW0002.</summary>
    public const int MaxRecords = 10_000;

    /// <summary>Largest request body (a full batch is about 1.5 MB of JSON); more is 413 COM0005.</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>Longest record ID accepted.</summary>
    public const int MaxRecordIdLength = 128;

    /// <summary>
    /// Largest byte or packet count in one record (1 TiB). Keeps every sum exact: a full batch adds at most
    /// 2^53 to a counter, so a 64-bit counter cannot overflow in any realistic lifetime.
    /// </summary>
    public const long MaxValuePerRecord = 1L << 40;


    public static void Map(RouteGroupBuilder gateway)
    {
        gateway.MapPost("/usage", PostUsageAsync).WithName("gatewayPostUsage").WithMetadata(new BodyLimit(MaxBodyBytes))
            .Accepts<UsageBatch>("application/json").Produces<UsageBatchResponse>()
            .WithSummary("Reports a batch of traffic records (Simlane gateway API).")
            .WithDescription("The packet gateway reports usage in batches; a batch is validated as a whole and a record ID already reported "
                + "for the same operator's SIMs is not counted twice. See docs/gateway.md, \"Usage records\".");
    }

    public sealed class UsageBatch
    {
        /// <summary>
        /// The gateway's ID for the whole batch (optional): the batch is then de-duplicated as a whole, by this ID, and its
        /// records carry no <c>recordId</c> (decision S68).
        /// </summary>
        public string? BatchId { get; set; }

        public List<UsageRecordBody?>? Records { get; set; }
    }

    public sealed class UsageRecordBody
    {
        public string? RecordId { get; set; }

        public string? Imsi { get; set; }

        public long? Unixtime { get; set; }

        public string? SpeedClass { get; set; }

        public long? UploadBytes { get; set; }

        public long? DownloadBytes { get; set; }

        public long? UploadPackets { get; set; }

        public long? DownloadPackets { get; set; }
    }

    public sealed record UsageBatchResponse(int Accepted, int Duplicates);

    private static async Task<IResult> PostUsageAsync(HttpRequest request, GatewayCaller caller, Metering metering, DeduplicationWindow window, TimeProvider clock)
    {
        var batch = await ReadAsync(request);
        var records = batch.Records ?? throw new SimlaneException(ErrorCodes.MissingField, "records is required");
        if (records.Count > MaxRecords)
        {
            throw new SimlaneException(ErrorCodes.UsageBatchTooLarge, $"records: {records.Count} records; a batch holds at most {MaxRecords}");
        }

        if (batch.BatchId is { } batchId && (batchId.Length == 0 || batchId.Length > MaxRecordIdLength))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"batchId: must be 1 to {MaxRecordIdLength} characters");
        }

        var nowSeconds = clock.GetUtcNow().ToUnixTimeSeconds();
        var inputs = new List<MeterInput>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            inputs.Add(Validate(records[i], i, nowSeconds, window, batched: batch.BatchId is not null));
        }

        // Record IDs are de-duplicated per operator of the record's SIM (a repeat within the batch too), so
        // `duplicates` only ever counts the caller's own records; a batch ID per caller (the platform gateway, or the
        // sandbox operator), the whole batch at once.
        var result = await metering.IngestAsync(inputs, caller.OperatorId, batchId: batch.BatchId);
        return Results.Json(new UsageBatchResponse(result.Accepted, result.Duplicates), Json.Options);
    }

    private static MeterInput Validate(UsageRecordBody? record, int index, long nowSeconds, DeduplicationWindow window, bool batched)
    {
        var at = $"records[{index}]";
        if (record is null)
        {
            throw new SimlaneException(ErrorCodes.MissingField, $"{at} must be an object");
        }

        if (batched && record.RecordId is not null)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{at}.recordId: not allowed with batchId (the batch is de-duplicated as a whole)");
        }

        var recordId = batched ? "" : Require.NotEmpty(record.RecordId, $"{at}.recordId");
        if (recordId.Length > MaxRecordIdLength)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{at}.recordId: longer than {MaxRecordIdLength} characters");
        }

        var imsi = Require.NotEmpty(record.Imsi, $"{at}.imsi");
        var unixtime = Require.Present(record.Unixtime, $"{at}.unixtime");
        Metering.ValidateTime(unixtime, nowSeconds, $"{at}.unixtime");
        window.RequireInWindow(unixtime, nowSeconds, $"{at}.unixtime");

        if (record.SpeedClass is { } speedClass && !SpeedClasses.All.Contains(speedClass))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{at}.speedClass: '{speedClass}' is not a speed class");
        }

        var traffic = new TrafficTotals(
            NonNegative(Require.Present(record.UploadBytes, $"{at}.uploadBytes"), $"{at}.uploadBytes"),
            NonNegative(Require.Present(record.DownloadBytes, $"{at}.downloadBytes"), $"{at}.downloadBytes"),
            NonNegative(record.UploadPackets ?? 0, $"{at}.uploadPackets"),
            NonNegative(record.DownloadPackets ?? 0, $"{at}.downloadPackets"));
        return new MeterInput(index, recordId, imsi, unixtime, record.SpeedClass, traffic);
    }

    internal static long NonNegative(long value, string field) => value switch
    {
        < 0 => throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: must not be negative"),
        > MaxValuePerRecord => throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: at most {MaxValuePerRecord} in one record"),
        _ => value,
    };

    /// <summary>Reads the batch with a larger body limit than the API's usual 1 MiB (BodyLimitMiddleware applies it first).</summary>
    private static Task<UsageBatch> ReadAsync(HttpRequest request) => JsonBody.ReadAsync<UsageBatch>(request, maxBytes: MaxBodyBytes);
}
