using System.Net;
using System.Text.RegularExpressions;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;

namespace Simlane.Server.Tests.Telemetry;

/// <summary>
/// A real server process with <c>--metrics</c>. A process of its own, not the in-process host: OpenTelemetry merges
/// same-named instruments of every host in a process, and a neighbouring test's host that stops would take this one's
/// series with it.
/// </summary>
public sealed class MetricsServerProcess : IAsyncLifetime
{
    private TestDatabase database = null!;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var environment = new Dictionary<string, string>(ServerProcess.WithGatewayKey) { ["Simlane__Metrics__SessionsCountSeconds"] = "1" };
        Server = await ServerProcess.StartAsync(database.ConnectionString, environment, ["--metrics"]);
    }

    public async Task DisposeAsync()
    {
        Server.Dispose();
        await database.DisposeAsync();
    }
}

/// <summary>
/// <c>/metrics</c> in Prometheus's text format: Simlane's own series (<c>simlane_*</c>), ASP.NET Core's and the runtime's,
/// and never an operator's data in a label.
/// </summary>
public sealed class MetricsTests(MetricsServerProcess fixture) : IClassFixture<MetricsServerProcess>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Scrape_AfterIngest_ShowsUsageAndHttpAndRuntimeSeries_WithoutOperatorData()
    {
        var op = await Server.Client().SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var imsi = sim.Imsi();
        var now = await op.NowMsAsync() / 1000;
        var recordId = "rec-" + Guid.NewGuid().ToString("N");
        (await Server.GatewayClient().PostUsageAsync(
            UsageTestHelpers.Record(imsi, now, 100, 200, recordId: recordId),
            UsageTestHelpers.Record(imsi, now, 100, 200, recordId: recordId))).ShouldBe(HttpStatusCode.OK);

        var text = await ScrapeAsync();

        Value(text, @"simlane_usage_records_total\{[^}]*door=""gateway""[^}]*outcome=""accepted""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_usage_records_total\{[^}]*door=""gateway""[^}]*outcome=""duplicate""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_usage_batch_duration_seconds_count\{[^}]*door=""gateway""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_outbox_backlog(?:\{[^}]*\})?").ShouldBeGreaterThanOrEqualTo(0);
        Value(text, @"simlane_outbox_oldest_age_seconds(?:\{[^}]*\})?").ShouldBeGreaterThanOrEqualTo(0);
        text.ShouldContain("http_server_request_duration_seconds_bucket");
        text.ShouldContain("http_route=\"/v1/gateway/usage\"");
        text.ShouldContain("dotnet_gc_collections_total");
        foreach (var secret in new[] { op.OperatorId!, imsi, sim.Str("simId"), recordId })
        {
            text.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task Scrape_AfterAFiring_ShowsFiringsByRuleTypeTheirLatencyAndTheActionsAttempt()
    {
        var op = await Server.Client().SignUpAsync();
        await op.ListenToUsageAsync(); // SubscriberFirstTrafficRule and SubscriberDailyTrafficRule, each with a mail action
        var sim = await op.CreateRegisteredSimAsync();
        var now = await op.NowMsAsync() / 1000;
        (await Server.GatewayClient().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), now, 100, 200))).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();

        var text = await ScrapeAsync();

        Value(text, @"simlane_engine_firings_total\{[^}]*rule_type=""SubscriberFirstTrafficRule""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_engine_firing_latency_seconds_count\{[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);

        // The mail action: this server has no SMTP host, so its attempt fails; either way it is counted once made.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(text = await ScrapeAsync()).Contains("simlane_actions_delivery_attempts_total{", StringComparison.Ordinal))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "waiting for the mail action's attempt");
            await Task.Delay(100);
        }

        Value(text, @"simlane_actions_delivery_attempts_total\{[^}]*action_type=""SendMailAction""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Scrape_AfterATimerFired_ShowsItByKindWithItsLateness()
    {
        var op = await Server.Client().SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = await op.NowMsAsync();
        (await op.PostAsync($"/v1/sims/{sim.Str("simId")}/set_expiry_time", new { expiryTime = now + 1_000, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);
        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 60 })).ShouldBe(HttpStatusCode.OK);

        var text = await ScrapeAsync();

        Value(text, @"simlane_timers_fired_total\{[^}]*kind=""[^""]+""[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, @"simlane_timers_lateness_seconds_count\{[^}]*\}").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Scrape_WithASessionOpen_CountsIt()
    {
        var op = await Server.Client().SignUpAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await Server.GatewayClient().PostAsync("/v1/gateway/sessions", new { imsi = sim.Imsi() })).ShouldBe(HttpStatusCode.OK)
            .Json["accepted"]!.GetValue<bool>().ShouldBeTrue();

        // The count is read at most every second here (Simlane:Metrics:SessionsCountSeconds): poll until this session is in it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Value(await ScrapeAsync(), @"simlane_sessions_open(?:_sessions)?(?:\{[^}]*\})?") < 1)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "waiting for the open session to be counted");
            await Task.Delay(200);
        }
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of the series matching <paramref name="series"/> (a regex of name and labels).</summary>
    private static double Value(string text, string series)
    {
        var samples = new Regex("^" + series + @" (?<value>[0-9.eE+-]+)", RegexOptions.Multiline).Matches(text);
        samples.ShouldNotBeEmpty($"no sample of {series} in:\n{string.Join("\n", text.Split("\n").Where(l => l.StartsWith("simlane_", StringComparison.Ordinal)))}");
        return samples.Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Without <c>--metrics</c> there is no scrape endpoint.</summary>
public sealed class MetricsOffTests() : FreshDatabaseTest(DatabaseKind.Sqlite)
{
    [Fact]
    public async Task Off_ByDefault_NoMetricsEndpoint()
    {
        await using var plain = new SimlaneFactory(Database.ConnectionString, clock: null);
        using var http = plain.CreateClient();

        var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
