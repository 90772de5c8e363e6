using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Simlane.Server.Infrastructure;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Operations;

/// <summary>
/// An in-process server whose log events are captured (<see cref="CapturedLogs"/>) with the request log at Debug, so the
/// quiet routes show too. Tests isolate themselves by their own operator.
/// </summary>
public abstract class LoggedServer(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase? database;
    private SimlaneFactory? simlane;

    public CapturedLogs Logs { get; } = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        simlane = new SimlaneFactory(database.ConnectionString, clock: null, settings: new Dictionary<string, string>
        {
            ["Logging:LogLevel:" + RequestLog.Category] = "Debug",
        });
        Factory = simlane.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(Logs)));
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (simlane is not null)
        {
            await simlane.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    public ApiClient Anonymous() => new(Factory.CreateDefaultClient(new ContractValidatingHandler()));
}

public sealed class LoggedSqliteServer() : LoggedServer(DatabaseKind.Sqlite);

public sealed class LoggedPostgresServer() : LoggedServer(DatabaseKind.Postgres);

/// <summary>
/// The request log (docs/operations.md, "Logs"): one event per request on <c>Simlane.Requests</c> with the method, the route
/// template, the status, the duration and the operator, and nothing of the request's path, query string, headers or body.
/// </summary>
public abstract class RequestLogTests(LoggedServer server)
{
    private const string QuerySecret = "query-secret-3f9a1c";
    private const string BodySecret = "body-secret-77d2e0";

    private IReadOnlyList<LogEntry> Requests => server.Logs.In(RequestLog.Category);

    [Fact]
    public async Task AuthenticatedRequest_OneLine_WithTemplateStatusDurationAndOperator_NeverTheIdQueryTokenOrBody()
    {
        var op = await server.Anonymous().SignUpAsync();
        var (simId, _) = await op.RegisterSimAsync();

        (await op.GetAsync($"/v1/sims/{simId}?token={QuerySecret}&apiKey={QuerySecret}")).ShouldBe(HttpStatusCode.OK);
        (await op.PutAsync($"/v1/sims/{simId}/tags", new[] { new { tagName = "note", tagValue = BodySecret } })).ShouldBe(HttpStatusCode.OK);

        var get = (await server.Logs.WaitForAsync(e => Is(e, "GET", "/v1/sims/{sim_id}", op.OperatorId))).ShouldHaveSingleItem();
        get.Level.ShouldBe(LogLevel.Information);
        get.EventId.Id.ShouldBe(1);
        get["StatusCode"].ShouldBe(200);
        get["DurationMs"].ShouldBeOfType<double>().ShouldBeGreaterThanOrEqualTo(0);
        get.Message.ShouldBe($"GET /v1/sims/{{sim_id}} 200 in {get["DurationMs"]} ms, operator {op.OperatorId}");
        var put = (await server.Logs.WaitForAsync(e => Is(e, "PUT", "/v1/sims/{sim_id}/tags", op.OperatorId))).ShouldHaveSingleItem();
        put["StatusCode"].ShouldBe(200);

        foreach (var entry in Requests)
        {
            entry.AllText.ShouldNotContain(simId);
        }

        foreach (var entry in server.Logs.Entries)
        {
            entry.AllText.ShouldNotContain(QuerySecret);
            entry.AllText.ShouldNotContain(BodySecret);
            entry.AllText.ShouldNotContain(op.Token!);
            entry.AllText.ShouldNotContain(op.ApiKey!);
        }
    }

    [Fact]
    public async Task UnauthenticatedRequest_LoggedWithItsTemplateAndStatus_NoOperator()
    {
        var op = await server.Anonymous().SignUpAsync();
        var (simId, _) = await op.RegisterSimAsync();
        var before = Requests.Count(e => e["Route"] as string == "/v1/sims/{sim_id}" && (int?)e["StatusCode"] == 401);

        (await server.Anonymous().GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.Unauthorized, "AUM0001");

        var refused = await server.Logs.WaitForAsync(e => Is(e, "GET", "/v1/sims/{sim_id}", "-") && (int?)e["StatusCode"] == 401, before + 1);
        refused.Count.ShouldBe(before + 1);
        refused[^1].Level.ShouldBe(LogLevel.Information);
    }

    [Fact]
    public async Task SignUp_LoggedWithoutAnOperator()
    {
        var before = Requests.Count(e => Is(e, "POST", "/v1/sandbox/init", "-"));

        await server.Anonymous().SignUpAsync();

        (await server.Logs.WaitForAsync(e => Is(e, "POST", "/v1/sandbox/init", "-") && (int?)e["StatusCode"] == 201, before + 1)).Count.ShouldBe(before + 1);
    }

    [Fact]
    public async Task UnmatchedRoute_LoggedAsUnmatched_WithoutItsPathOrQuery()
    {
        var path = $"/v1/no-such-thing-{Guid.NewGuid():N}";
        var before = Requests.Count(e => Is(e, "GET", RequestLog.Unmatched, "-"));

        (await server.Anonymous().GetAsync($"{path}?token={QuerySecret}")).Status.ShouldBe(HttpStatusCode.NotFound);

        var unmatched = await server.Logs.WaitForAsync(e => Is(e, "GET", RequestLog.Unmatched, "-"), before + 1);
        unmatched[^1]["StatusCode"].ShouldBe(404);
        unmatched[^1].Level.ShouldBe(LogLevel.Information);
        server.Logs.Entries.ShouldAllBe(e => !e.AllText.Contains(path) && !e.AllText.Contains(QuerySecret));
    }

    [Fact]
    public async Task HealthProbes_LoggedAtDebug()
    {
        using var http = server.Factory.CreateClient();
        var before = Requests.Count(e => e["Route"] as string == Readiness.Route);

        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync(new Uri(Readiness.Route, UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await server.Logs.WaitForAsync(e => Is(e, "GET", "/healthz", "-"))).ShouldAllBe(e => e.Level == LogLevel.Debug);
        (await server.Logs.WaitForAsync(e => Is(e, "GET", Readiness.Route, "-"), before + 1)).ShouldAllBe(e => e.Level == LogLevel.Debug);
    }

    private static bool Is(LogEntry entry, string method, string route, string? operatorId) =>
        entry.Category == RequestLog.Category && entry["Method"] as string == method && entry["Route"] as string == route
        && entry["OperatorId"] as string == operatorId;
}

public sealed class RequestLogTests_Sqlite(LoggedSqliteServer server) : RequestLogTests(server), IClassFixture<LoggedSqliteServer>;

public sealed class RequestLogTests_Postgres(LoggedPostgresServer server) : RequestLogTests(server), IClassFixture<LoggedPostgresServer>;

/// <summary>
/// The request log in a pipeline of its own (no route of the server throws on purpose): a request that throws is logged once
/// with the route template it matched and 500, although the exception handler clears the endpoint before it answers.
/// </summary>
public sealed class RequestLogPipelineTests
{
    [Fact]
    public async Task RequestThatThrows_LoggedWithItsTemplateAnd500()
    {
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs);
        await using var app = builder.Build();
        app.UseMiddleware<RequestLog>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = context => Task.CompletedTask });
        app.UseRouting();
        app.MapGet("/boom/{id}", string (string id) => throw new InvalidOperationException("failed for " + id));
        await app.StartAsync();

        using var response = await app.GetTestClient().GetAsync(new Uri("/boom/secret-id-81c3?token=t", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var line = (await logs.WaitForAsync(e => e.Category == RequestLog.Category)).ShouldHaveSingleItem();
        line["Route"].ShouldBe("/boom/{id}");
        line["StatusCode"].ShouldBe(500);
        line["OperatorId"].ShouldBe("-");
        line.AllText.ShouldNotContain("secret-id-81c3");
    }
}
