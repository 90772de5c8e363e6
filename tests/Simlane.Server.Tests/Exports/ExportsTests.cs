using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Exports;

/// <summary>
/// exportSubscribers and exportAirStats, export_mode, getExportedFile and the download link
/// (docs/exports.md): the CSV behind the URL lists exactly what the list and stats APIs answer for the
/// caller, and a link is tied to its file, its token and its lifetime.
/// </summary>
public abstract class ExportsTests(ServerFixture server)
{
    private const long HourMs = 3_600_000;

    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    /// <summary>Downloads a link without API headers; answers the raw bytes.</summary>
    private async Task<(HttpStatusCode Status, byte[] Body, string? ContentType)> DownloadAsync(string url)
    {
        using var client = server.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(url));
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>Downloads a CSV (UTF-8 with BOM) and parses it into the header and rows.</summary>
    private async Task<(string[] Header, List<string[]> Rows)> CsvAsync(string url)
    {
        var (status, body, contentType) = await DownloadAsync(url);
        status.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        contentType.ShouldBe("text/csv; charset=utf-8");
        body.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, "UTF-8 with a BOM, as SORACOM's CSV files");
        var lines = Csv.Parse(Encoding.UTF8.GetString(body, 3, body.Length - 3));
        return (lines[0], lines.Skip(1).ToList());
    }

    private static string Url(ApiResponse response)
    {
        response.ShouldBe(HttpStatusCode.OK);
        response.Json.AsObject().Select(p => p.Key).ShouldBe(["url"]);
        return response.Str("url");
    }

    [Fact]
    public async Task ExportSubscribers_Sync_CsvListsExactlyTheCallersSubscribers()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var (simA, imsiA) = await op.RegisterSimAsync();
        var (_, imsiB) = await op.RegisterSimAsync();
        var (_, foreignImsi) = await other.RegisterSimAsync();
        (await op.PutAsync($"/v1/sims/{simA}/tags", new[] { new { tagName = "name", tagValue = "pump 7, \"north\"" } })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/subscribers/{imsiB}/activate")).ShouldBe(HttpStatusCode.OK);

        var (header, rows) = await CsvAsync(Url(await op.PostAsync("/v1/subscribers/export")));

        header.ShouldBe(["imsi", "msisdn", "iccid", "simId", "serialNumber", "status", "subscription", "speedClass", "groupId", "name", "terminationEnabled", "expiryTime", "createdAt", "lastModifiedAt"]);
        var listed = (await op.GetAsync("/v1/subscribers")).ShouldBe(HttpStatusCode.OK).Array;
        rows.Select(r => r[0]).ShouldBe(listed.Select(s => s!["imsi"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        rows.Select(r => r[0]).ShouldBe(new[] { imsiA, imsiB }.Order(StringComparer.Ordinal));
        rows.ShouldNotContain(r => r[0] == foreignImsi);
        foreach (var row in rows)
        {
            var subscriber = listed.Single(s => s!["imsi"]!.GetValue<string>() == row[0])!;
            row[1].ShouldBe(subscriber["msisdn"]!.GetValue<string>());
            row[3].ShouldBe(subscriber["simId"]!.GetValue<string>());
            row[4].ShouldBe(subscriber["serialNumber"]!.GetValue<string>());
            row[5].ShouldBe(subscriber["status"]!.GetValue<string>());
            row[6].ShouldBe(subscriber["subscription"]!.GetValue<string>());
            row[7].ShouldBe(subscriber["speedClass"]!.GetValue<string>());
            row[12].ShouldBe(subscriber["createdAt"]!.ToJsonString());
        }

        rows.Single(r => r[0] == imsiA)[9].ShouldBe("pump 7, \"north\"");
        rows.Single(r => r[0] == imsiB)[5].ShouldBe("active");

        var (_, foreignRows) = await CsvAsync(Url(await other.PostAsync("/v1/subscribers/export?export_mode=sync")));
        foreignRows.Select(r => r[0]).ShouldBe([foreignImsi]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-42", "-42")]
    [InlineData("pump 7", "pump 7")]
    public async Task ExportSubscribers_ANameAFormulaWouldRun_GetsAnApostrophe_NumbersStayNumbers(string name, string written)
    {
        var op = await server.NewOperatorAsync();
        var (simId, _) = await op.RegisterSimAsync();
        (await op.PutAsync($"/v1/sims/{simId}/tags", new[] { new { tagName = "name", tagValue = name } })).ShouldBe(HttpStatusCode.OK);

        var (header, rows) = await CsvAsync(Url(await op.PostAsync("/v1/subscribers/export")));

        rows.ShouldHaveSingleItem()[Array.IndexOf(header, "name")].ShouldBe(written);
    }

    [Fact]
    public async Task Export_Async_GetExportedFileAnswersTheUrl_OnlyToItsOperator()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var (_, imsi) = await op.RegisterSimAsync();

        var started = (await op.PostAsync("/v1/subscribers/export?export_mode=async")).ShouldBe(HttpStatusCode.OK);
        var fileId = started.Str("exportedFileId");
        fileId.ShouldStartWith("fe_");
        started.Str("exportedFilePath").ShouldBe($"/v1/files/exported/{fileId}");
        started.Json["url"].ShouldBeNull();

        var file = (await op.GetAsync($"/v1/files/exported/{fileId}")).ShouldBe(HttpStatusCode.OK);
        file.Str("status").ShouldBe("exported");
        var (_, rows) = await CsvAsync(file.Str("url"));
        rows.Select(r => r[0]).ShouldBe([imsi]);

        // Another operator's file looks exactly like a missing one.
        var foreign = (await other.GetAsync($"/v1/files/exported/{fileId}")).ShouldBe(HttpStatusCode.NotFound, "FIL0001");
        var missing = (await other.GetAsync("/v1/files/exported/fe_00000000-0000-0000-0000-000000000000")).ShouldBe(HttpStatusCode.NotFound, "FIL0001");
        foreign.Str("message").Replace(fileId, "ID", StringComparison.Ordinal)
            .ShouldBe(missing.Str("message").Replace("fe_00000000-0000-0000-0000-000000000000", "ID", StringComparison.Ordinal));
        (await server.Anonymous().GetAsync($"/v1/files/exported/{fileId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");
    }

    [Theory]
    [InlineData("/v1/subscribers/export")]
    [InlineData("/v1/bills/latest/export")]
    [InlineData("/v1/bills/202601/export")]
    [InlineData("/v1/stats/air/operators/{op}/export")]
    public async Task Export_BadExportMode_Is400AndStoresNothing(string path)
    {
        var op = await server.NewOperatorAsync();
        path = path.Replace("{op}", op.OperatorId, StringComparison.Ordinal);
        foreach (var mode in new[] { "ASYNC", "later", "sync,async" })
        {
            (await op.PostAsync($"{path}?export_mode={Uri.EscapeDataString(mode)}", new { from = 0, to = 1, period = "day" }))
                .ShouldBe(HttpStatusCode.BadRequest, "COM0007");
        }

        await using var db = Db();
        (await db.ExportedFiles.CountAsync(f => f.OperatorId == op.OperatorId)).ShouldBe(0);
    }

    [Fact]
    public async Task DownloadLink_WrongMissingOrMovedToken_Is404()
    {
        var op = await server.NewOperatorAsync();
        await op.RegisterSimAsync();
        var url = new Uri(Url(await op.PostAsync("/v1/subscribers/export")));
        var secondUrl = new Uri(Url(await op.PostAsync("/v1/subscribers/export")));
        var token = System.Web.HttpUtility.ParseQueryString(url.Query)["token"]!;
        var path = url.AbsolutePath;

        (await DownloadAsync(url.ToString())).Status.ShouldBe(HttpStatusCode.OK);
        foreach (var bad in new[]
        {
            path,
            $"{path}?token=",
            $"{path}?token={Uri.EscapeDataString(token[..^2] + (token[^2] == 'A' ? "BB" : "AA"))}",
            $"{path}?token=not-a-token",
            $"{path}?token={new string('x', 5000)}",
            $"{secondUrl.AbsolutePath}?token={Uri.EscapeDataString(token)}", // a token only opens its own file
        })
        {
            var response = await server.Anonymous().GetAsync(bad);
            response.ShouldBe(HttpStatusCode.NotFound, "FIL0001");
            response.Text.ShouldNotContain(op.OperatorId!);
        }
    }

    [Fact]
    public async Task DownloadLink_ExpiresAfterAnHour_AndTheFileIsPruned()
    {
        var op = await server.NewOperatorAsync();
        await op.RegisterSimAsync();
        var fileId = (await op.PostAsync("/v1/subscribers/export?export_mode=async")).ShouldBe(HttpStatusCode.OK).Str("exportedFileId");
        var url = (await op.GetAsync($"/v1/files/exported/{fileId}")).ShouldBe(HttpStatusCode.OK).Str("url");

        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>();
        (await op.PostAsync("/v1/sandbox/clock", new { now = now + HourMs - 1000 })).ShouldBe(HttpStatusCode.OK);
        (await DownloadAsync(url)).Status.ShouldBe(HttpStatusCode.OK, "still inside the hour");

        (await op.PostAsync("/v1/sandbox/clock", new { now = now + HourMs + 1000 })).ShouldBe(HttpStatusCode.OK);
        var expired = await server.Anonymous().GetAsync(new Uri(url).PathAndQuery);
        expired.ShouldBe(HttpStatusCode.NotFound, "FIL0001");
        (await op.GetAsync($"/v1/files/exported/{fileId}")).ShouldBe(HttpStatusCode.NotFound, "FIL0001");

        // The next export (of anyone) prunes the expired file from the database.
        await using (var db = Db())
        {
            (await db.ExportedFiles.CountAsync(f => f.FileId == fileId)).ShouldBe(1);
        }

        Url(await (await server.NewOperatorAsync()).PostAsync("/v1/subscribers/export"));
        await using (var db = Db())
        {
            (await db.ExportedFiles.CountAsync(f => f.FileId == fileId)).ShouldBe(0);
        }
    }

    [Fact]
    public async Task ExportAirStats_CsvMatchesTheSubscribersStats_PerDayAndPerMonth()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var (_, imsiA) = await op.RegisterSimAsync();
        var (simB, imsiB) = await op.RegisterSimAsync();
        var (_, foreignImsi) = await other.RegisterSimAsync();
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>() / 1000;
        var day = now - (now % 86_400);

        async Task InsertAsync(ApiClient client, string imsi, long unixtime, string speedClass, long up, long down) =>
            (await client.PostAsync($"/v1/sandbox/stats/air/subscribers/{imsi}", new
            {
                unixtime,
                dataTrafficStatsMap = new Dictionary<string, object>
                {
                    [speedClass] = new { uploadByteSizeTotal = up, downloadByteSizeTotal = down, uploadPacketSizeTotal = up / 100, downloadPacketSizeTotal = down / 100 },
                },
            })).ShouldBe(HttpStatusCode.OK);

        await InsertAsync(op, imsiA, day - 86_400 + 600, "s1.standard", 1000, 2000);
        await InsertAsync(op, imsiA, day - 86_400 + 1200, "s1.fast", 300, 400);
        await InsertAsync(op, imsiA, day + 60, "s1.standard", 5000, 6000);
        await InsertAsync(op, imsiB, day - 86_400 + 60, "s1.minimum", 700, 800);
        await InsertAsync(other, foreignImsi, day + 60, "s1.standard", 9000, 9000);

        // Terminated SIMs' traffic is still exported (SORACOM documents it for this export).
        (await op.PostAsync($"/v1/sims/{simB}/enable_termination")).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync($"/v1/sims/{simB}/terminate")).ShouldBe(HttpStatusCode.OK);

        var (header, rows) = await CsvAsync(Url(await op.PostAsync(
            $"/v1/stats/air/operators/{op.OperatorId}/export", new { from = day - 86_400, to = now, period = "day" })));
        header.ShouldBe(["imsi", "date", "type", "uploadByteSizeTotal", "uploadPacketCountTotal", "downloadByteSizeTotal", "downloadPacketCountTotal"]);
        string Date(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var expected = new List<string[]>
        {
            new[] { imsiA, Date(day - 86_400), "s1.fast", "300", "3", "400", "4" },
            new[] { imsiA, Date(day - 86_400), "s1.standard", "1000", "10", "2000", "20" },
            new[] { imsiA, Date(day), "s1.standard", "5000", "50", "6000", "60" },
            new[] { imsiB, Date(day - 86_400), "s1.minimum", "700", "7", "800", "8" },
        }.OrderBy(r => r[0], StringComparer.Ordinal).ThenBy(r => r[1], StringComparer.Ordinal).ThenBy(r => r[2], StringComparer.Ordinal).ToList();
        rows.ShouldBe(expected);

        // The same numbers getAirStats answers for the IMSI.
        var stats = (await op.GetAsync($"/v1/stats/air/subscribers/{imsiA}?from={day - 86_400}&to={now}&period=day")).ShouldBe(HttpStatusCode.OK).Array;
        var fromApi = stats.SelectMany(b => b!["dataTrafficStatsMap"]!.AsObject().Select(s => new[]
        {
            imsiA, Date(b["unixtime"]!.GetValue<long>()), s.Key, s.Value!["uploadByteSizeTotal"]!.ToJsonString(), s.Value["uploadPacketSizeTotal"]!.ToJsonString(),
            s.Value["downloadByteSizeTotal"]!.ToJsonString(), s.Value["downloadPacketSizeTotal"]!.ToJsonString(),
        })).ToList();
        rows.Where(r => r[0] == imsiA).ShouldBe(fromApi);

        var (_, months) = await CsvAsync(Url(await op.PostAsync(
            $"/v1/stats/air/operators/{op.OperatorId}/export?export_mode=sync", new { from = day - 86_400, to = now, period = "month" })));
        months.ShouldAllBe(r => r[1].Length == 6);
        months.Where(r => r[0] == imsiA && r[2] == "s1.standard").Sum(r => long.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(6000);
        months.ShouldNotContain(r => r[0] == foreignImsi);

        // An empty period: a header-only file.
        var (_, none) = await CsvAsync(Url(await other.PostAsync(
            $"/v1/stats/air/operators/{other.OperatorId}/export", new { from = day - 86_400, to = day - 1, period = "day" })));
        none.ShouldBeEmpty();
    }

    [Fact]
    public async Task Export_OverTheSizeLimit_Is400AndStoresNothing()
    {
        await using var limited = new SimlaneFactory(server.Database.ConnectionString, server.Clock, settings: new Dictionary<string, string> { ["Simlane:Exports:MaxBytes"] = "1024" });
        var op = await new ApiClient(limited.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();
        await op.RegisterSimAsync();
        Url(await op.PostAsync("/v1/subscribers/export")).ShouldNotBeEmpty("one subscriber fits in 1 KiB");
        for (var i = 0; i < 8; i++)
        {
            await op.RegisterSimAsync();
        }

        var response = (await op.PostAsync("/v1/subscribers/export")).ShouldBe(HttpStatusCode.BadRequest, "FIL0002");
        response.Str("message").ShouldContain("1024 bytes");
        await using var db = Db();
        (await db.ExportedFiles.CountAsync(f => f.OperatorId == op.OperatorId)).ShouldBe(1, "only the first, small export");
    }

    [Fact]
    public async Task ExportAirStats_BadRequests_Are4xxAndStoreNothing()
    {
        var op = await server.NewOperatorAsync();
        var other = await server.NewOperatorAsync();
        var now = (await op.GetAsync("/v1/sandbox/clock")).Json["now"]!.GetValue<long>() / 1000;
        var path = $"/v1/stats/air/operators/{op.OperatorId}/export";

        (await op.PostAsync($"/v1/stats/air/operators/{other.OperatorId}/export", new { from = now - 60, to = now, period = "day" }))
            .ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        (await op.PostAsync("/v1/stats/air/operators/OPnope/export", new { from = now - 60, to = now, period = "day" }))
            .ShouldBe(HttpStatusCode.BadRequest, "AUM0010");
        (await op.PostAsync(path)).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync(path, new { to = now, period = "day" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync(path, new { from = now - 60, period = "day" })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync(path, new { from = now - 60, to = now })).ShouldBe(HttpStatusCode.BadRequest, "COM0002");
        (await op.PostAsync(path, new { from = now - 60, to = now, period = "hour" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync(path, new { from = now, to = now - 60, period = "day" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync(path, new { from = -5, to = now, period = "day" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync(path, new { from = now - (40 * 86_400), to = now, period = "minutes" })).ShouldBe(HttpStatusCode.BadRequest, "COM0004");
        (await op.PostAsync(path, new { from = "yesterday", to = now, period = "day" })).ShouldBe(HttpStatusCode.BadRequest, "COM0001");
        (await op.SendRawAsync(HttpMethod.Post, path, "{\"from\":")).ShouldBe(HttpStatusCode.BadRequest, "COM0001");

        await using var db = Db();
        (await db.ExportedFiles.CountAsync(f => f.OperatorId == op.OperatorId)).ShouldBe(0);
    }
}

public sealed class ExportsTests_Sqlite(SqliteServer server) : ExportsTests(server), IClassFixture<SqliteServer>;

public sealed class ExportsTests_Postgres(PostgresServer server) : ExportsTests(server), IClassFixture<PostgresServer>;

/// <summary>A minimal RFC 4180 reader for the exported files.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            throw new FormatException("The last line does not end with CRLF");
        }

        return rows;
    }
}
