using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Billing;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Core.Usage;
using Simlane.Server.Usage;
using Simlane.Server.Auth;
using Simlane.Server.Billing;
using Simlane.Server.Infrastructure;
using Simlane.Server.Stats;
using Simlane.Storage;

namespace Simlane.Server.Exports;

/// <summary>
/// SORACOM's CSV exports (docs/exports.md): exportSubscribers, exportAirStats, exportBilling and
/// exportLatestBilling build the CSV at once, store it (<see cref="ExportFiles"/>) and answer
/// <c>{"url"}</c> (<c>export_mode=sync</c>, the default) or <c>{"exportedFileId","exportedFilePath"}</c>
/// (<c>async</c>), which getExportedFile turns into the URL. Rows are streamed from the database into the
/// file, which is bounded by <see cref="ExportOptions.MaxBytes"/>.
/// </summary>
public static class ExportsApi
{
    public static readonly string[] SubscriberColumns =
        ["imsi", "msisdn", "iccid", "simId", "serialNumber", "status", "subscription", "speedClass", "groupId", "name", "terminationEnabled", "expiryTime", "createdAt", "lastModifiedAt"];

    public static readonly string[] AirStatsColumns =
        ["imsi", "date", "type", "uploadByteSizeTotal", "uploadPacketCountTotal", "downloadByteSizeTotal", "downloadPacketCountTotal"];

    public static readonly string[] BillingColumns = ["imsi", "date", "billItemName", "unitPrice", "quantity", "amount", "simId", "currency"];

    private static readonly string[] Periods = ["month", "day", "minutes"];

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/subscribers/export", ExportSubscribersAsync).WithTags("Subscriber").WithName("exportSubscribers")
            .Produces<ExportFiles.FileExportResponse>();
        v1.MapPost("/stats/air/operators/{operator_id}/export", ExportAirStatsAsync).WithTags("Stats").WithName("exportAirStats")
            .Accepts<ExportRequest>("application/json").Produces<ExportFiles.FileExportResponse>().ReadsFoldedUsage();
        v1.MapPost("/bills/latest/export", ExportLatestBillingAsync).WithTags("Billing").WithName("exportLatestBilling")
            .Produces<ExportFiles.FileExportResponse>();
        v1.MapPost("/bills/{yyyyMM}/export", ExportBillingAsync).WithTags("Billing").WithName("exportBilling")
            .Produces<ExportFiles.FileExportResponse>();

        var files = v1.MapGroup("/files/exported").WithTags("Files");
        files.MapGet("/{exported_file_id}", GetExportedFileAsync).WithName("getExportedFile").Produces<ExportFiles.GetExportedFileResponse>();

        // The link getExportedFile and the sync exports answer: like a presigned URL, it needs no API headers.
        files.MapGet("/{exported_file_id}/download", DownloadAsync).WithMetadata(new AnonymousAttribute()).ExcludeFromDescription();
    }

    public sealed class ExportRequest
    {
        public long? From { get; set; }

        public long? To { get; set; }

        public string? Period { get; set; }
    }

    private static async Task<IResult> ExportSubscribersAsync(HttpRequest request, Caller caller, SimlaneDb db, ExportFiles files, TimeProvider clock)
    {
        var mode = ExportFiles.Mode(request);
        var operatorId = caller.OperatorId;
        var rows = db.Subscriptions.AsNoTracking()
            .Join(db.Sims.Where(s => s.OperatorId == operatorId), x => x.SimId, s => s.SimId, (x, s) => new
            {
                x.Imsi, x.Msisdn, x.Iccid, x.IsPrimary, x.SecondaryStatus, x.Plan, s.SimId, s.SerialNumber, s.Status, s.SpeedClass, s.GroupId,
                Name = s.Tags.Where(t => t.Name == "name").Select(t => t.Value).FirstOrDefault(),
                s.TerminationEnabled, s.ExpiryTime, s.CreatedTime, s.LastModifiedTime,
            })
            .OrderBy(r => r.Imsi)
            .AsAsyncEnumerable();

        using var csv = new CsvFile(SubscriberColumns, files.MaxBytes);
        await foreach (var r in rows)
        {
            csv.Row([
                r.Imsi, r.Msisdn, r.Iccid, r.SimId, r.SerialNumber, r.IsPrimary ? r.Status.ToWire() : r.SecondaryStatus ?? r.Status.ToWire(),
                r.Plan, r.SpeedClass, r.GroupId, r.Name, r.TerminationEnabled ? "true" : "false",
                r.ExpiryTime is { } expiry ? CsvFile.Number(expiry) : null, CsvFile.Number(r.CreatedTime), CsvFile.Number(r.LastModifiedTime),
            ]);
        }

        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(clock.NowMs()).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return await files.SaveAsync(db, request, operatorId, "subscribers", $"subscribers_{stamp}.csv", csv.ToArray(), mode);
    }

    /// <summary>Another operator's ID is 400 AUM0010, as getAirStatsOfOperator answers it.</summary>
    private static async Task<IResult> ExportAirStatsAsync(string operator_id, HttpRequest request, Caller caller, SimlaneDb db, ExportFiles files, TimeProvider clock, Usage.UsageOverlay overlay)
    {
        var mode = ExportFiles.Mode(request);
        if (!string.Equals(operator_id, caller.OperatorId, StringComparison.Ordinal))
        {
            throw new SimlaneException(ErrorCodes.InvalidOperatorId, $"Invalid operator ID '{operator_id}'");
        }

        var body = await JsonBody.ReadAsync<ExportRequest>(request);
        var from = Require.Present(body.From, "from");
        var to = Require.Present(body.To, "to");
        var period = Require.OneOf(body.Period, "period", Periods);
        if (from < 0 || to < 0)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, "from and to must be non-negative epoch seconds");
        }

        var window = AirStatsApi.Snap(from, to, period, detailed: true, clock, ErrorCodes.InvalidField);
        var dateFormat = window.Period switch
        {
            UsagePeriod.Month => "yyyyMM",
            UsagePeriod.Day => "yyyyMMdd",
            _ => "yyyyMMddHHmm",
        };

        // Subscriber-scope counters carry the operator that owned the IMSI when the traffic was recorded,
        // so terminated SIMs' traffic is included (SORACOM: "you can also check the data usage of terminated IoT SIMs").
        var operatorId = caller.OperatorId;
        var stored = Usage.SubscriberMonths.Stored(UsageScope.Subscriber, window.Period);
        var counters = Usage.SubscriberMonths.As(UsageScope.Subscriber, window.Period, await overlay.CountersAsync(
            db,
            db.UsageCounters.AsNoTracking().Where(c => c.OperatorId == operatorId && c.Scope == UsageScope.Subscriber && c.Period == stored
                && c.BucketStart >= window.Start && c.BucketStart < window.End),
            UsageScope.Subscriber, null,
            (k, op) => op == operatorId && k.Period == stored && k.BucketStart >= window.Start && k.BucketStart < window.End, CancellationToken.None));
        var rows = counters.OrderBy(c => c.ScopeId, StringComparer.Ordinal).ThenBy(c => c.BucketStart).ThenBy(c => c.SpeedClass, StringComparer.Ordinal);

        using var csv = new CsvFile(AirStatsColumns, files.MaxBytes);
        foreach (var r in rows)
        {
            csv.Row([
                r.ScopeId, DateTimeOffset.FromUnixTimeSeconds(r.BucketStart).ToString(dateFormat, CultureInfo.InvariantCulture), r.SpeedClass,
                CsvFile.Number(r.UploadBytes), CsvFile.Number(r.UploadPackets), CsvFile.Number(r.DownloadBytes), CsvFile.Number(r.DownloadPackets),
            ]);
        }

        var name = $"air_stats_{period}_{DateTimeOffset.FromUnixTimeSeconds(window.Start).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}.csv";
        return await files.SaveAsync(db, request, operatorId, "air_stats", name, csv.ToArray(), mode);
    }

    /// <summary>
    /// A month of the last 18 that has a bill (temporary or closed); a malformed month is 400 BIL0001, one
    /// without a bill or older than 18 months 404 BIL0002.
    /// </summary>
    private static async Task<IResult> ExportBillingAsync(string yyyyMM, HttpRequest request, Caller caller, SimlaneDb db, ExportFiles files, TimeProvider clock)
    {
        var mode = ExportFiles.Mode(request);
        var month = BillingApi.ParseMonth(yyyyMM);
        var current = UsageWindows.MonthStart(clock.GetUtcNow().ToUnixTimeSeconds());
        var oldest = BillDates.YearMonth(DateTimeOffset.FromUnixTimeSeconds(current).AddMonths(-BillingApi.HistoryMonths).ToUnixTimeSeconds());
        var operatorId = caller.OperatorId;
        if (string.CompareOrdinal(month, oldest) < 0 || !await db.MonthlyCharges.AnyAsync(b => b.OperatorId == operatorId && b.YearMonth == month))
        {
            throw new SimlaneException(ErrorCodes.BillNotFound, $"There is no charge for {month} in the last {BillingApi.HistoryMonths} months");
        }

        return await ExportMonthAsync(request, operatorId, month, db, files, mode);
    }

    /// <summary>The current month, preliminary; a header-only file before its first aggregation.</summary>
    private static async Task<IResult> ExportLatestBillingAsync(HttpRequest request, Caller caller, SimlaneDb db, ExportFiles files, TimeProvider clock)
    {
        var mode = ExportFiles.Mode(request);
        var month = BillDates.YearMonth(UsageWindows.MonthStart(clock.GetUtcNow().ToUnixTimeSeconds()));
        return await ExportMonthAsync(request, caller.OperatorId, month, db, files, mode);
    }

    private static async Task<IResult> ExportMonthAsync(HttpRequest request, string operatorId, string month, SimlaneDb db, ExportFiles files, string mode)
    {
        var rows = db.SimDayCharges.AsNoTracking()
            .Where(r => r.OperatorId == operatorId && r.YearMonth == month)
            .OrderBy(r => r.DayStart).ThenBy(r => r.Imsi).ThenBy(r => r.SimId)
            .AsAsyncEnumerable();
        using var csv = new CsvFile(BillingColumns, files.MaxBytes);
        await foreach (var r in rows)
        {
            var date = BillDates.Date(r.DayStart);
            csv.Row([r.Imsi, date, BillItems.BasicFee(r), CsvFile.Number(r.BasicFee), "1", CsvFile.Number(r.BasicAmount), r.SimId, r.Currency]);
            if (r.DataBytes > 0)
            {
                var perByte = Math.Round(r.DataFee / r.DataBytes, 15, MidpointRounding.AwayFromZero);
                csv.Row([r.Imsi, date, BillItems.DataFee(r), CsvFile.Number(perByte), CsvFile.Number(r.DataBytes), CsvFile.Number(r.DataAmount), r.SimId, r.Currency]);
            }
        }

        return await files.SaveAsync(db, request, operatorId, "billing", $"billing_{month}.csv", csv.ToArray(), mode);
    }

    private static async Task<IResult> GetExportedFileAsync(string exported_file_id, HttpRequest request, Caller caller, SimlaneDb db, ExportFiles files)
    {
        var file = await files.FindAsync(db, exported_file_id, caller.OperatorId);
        return Results.Json(new ExportFiles.GetExportedFileResponse("exported", files.Url(request, file)), Json.Options);
    }

    private static async Task<IResult> DownloadAsync(string exported_file_id, HttpContext context, SimlaneDb db, ExportFiles files)
    {
        var file = await files.OpenAsync(db, exported_file_id, context.Request.Query["token"].ToString());
        var headers = context.Response.Headers;
        headers.CacheControl = "private, no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.File(file.Content, "text/csv; charset=utf-8", file.FileName);
    }
}

/// <summary>The bill item names shared by the billing CSV and getBillingSummaryOfBillItems (docs/exports.md).</summary>
public static class BillItems
{
    public const string Category = "Air";

    public static string BasicFee(SimDayChargeRow row) => $"{row.Plan} basic fee ({row.BilledStatus})";

    public static string DataFee(SimDayChargeRow row) => $"{row.Plan} data fee";
}
