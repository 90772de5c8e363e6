using System.Net;
using System.Text.RegularExpressions;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Telemetry;

/// <summary>The server in-process with the Prometheus endpoint on (<c>Simlane:Metrics:Enabled</c>).</summary>
public sealed class MetricsServer() : ServerFixture(DatabaseKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Simlane:Metrics:Enabled"] = "true" };
}

/// <summary>
/// <c>/metrics</c> in Prometheus's text format: Simlane's own series (<c>simlane_*</c>), ASP.NET Core's and the runtime's,
/// and never an operator's data in a label.
/// </summary>
public sealed class MetricsTests(MetricsServer server) : IClassFixture<MetricsServer>
{
    [Fact]
    public async Task Scrape_AfterIngest_ShowsUsageAndHttpAndRuntimeSeries_WithoutOperatorData()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.Imsi();
        var now = server.Clock.GetUtcNow().ToUnixTimeSeconds();
        var recordId = "rec-" + Guid.NewGuid().ToString("N");
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(imsi, now, 100, 200, recordId: recordId),
            UsageTestHelpers.Record(imsi, now, 100, 200, recordId: recordId))).ShouldBe(HttpStatusCode.OK);

        var text = await ScrapeAsync();

        Value(text, @"simlane_usage_records_total\{[^}]*door=""gateway""[^}]*outcome=""accepted""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_usage_records_total\{[^}]*door=""gateway""[^}]*outcome=""duplicate""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_usage_batch_duration_seconds_count\{[^}]*door=""gateway""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        text.ShouldContain("http_server_request_duration_seconds_bucket");
        text.ShouldContain("http_route=\"/v1/gateway/usage\"");
        text.ShouldContain("dotnet_gc_collections_total");
        Value(text, "simlane_outbox_backlog(?:_events)?(?:\\{[^}]*\\})?").ShouldBeGreaterThanOrEqualTo(0);
        Value(text, "simlane_outbox_oldest_age_seconds(?:\\{[^}]*\\})?").ShouldBeGreaterThanOrEqualTo(0);
        foreach (var secret in new[] { op.OperatorId!, imsi, sim.Str("simId"), recordId })
        {
            text.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task Off_ByDefault_NoMetricsEndpoint()
    {
        await using var plain = new SimlaneFactory(server.Database.ConnectionString, clock: null);
        using var http = plain.CreateClient();

        var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = server.Factory.CreateClient();
        var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of the series matching <paramref name="series"/> (a regex of name and labels).</summary>
    private static double Value(string text, string series)
    {
        var samples = new Regex("^" + series + @" (?<value>[0-9.eE+-]+)", RegexOptions.Multiline).Matches(text);
        samples.ShouldNotBeEmpty($"no sample of {series} in:\n{text[..Math.Min(text.Length, 4000)]}");
        return samples.Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
