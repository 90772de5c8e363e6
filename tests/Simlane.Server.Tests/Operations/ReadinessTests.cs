using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Simlane.Core.Events;
using Simlane.Server.Engine;
using Simlane.Server.Infrastructure;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Operations;

/// <summary>A server (fake clock: the outbox consumer runs only when woken) whose outbox backlog bound is 5 events.</summary>
public sealed class BacklogBoundSqliteServer() : ServerFixture(DatabaseKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string> { ["Simlane:Health:MaxOutboxBacklog"] = "5" };
}

/// <inheritdoc cref="BacklogBoundSqliteServer"/>
public sealed class BacklogBoundPostgresServer() : ServerFixture(DatabaseKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string> { ["Simlane:Health:MaxOutboxBacklog"] = "5" };
}

/// <summary>
/// <c>GET /healthz/ready</c> (docs/operations.md, "Health"): 200 on a server that can work; 503 naming the failed check when
/// the outbox backlog is over its bound, when migrations are missing, or when the database cannot be reached.
/// </summary>
public abstract class ReadinessTests(ServerFixture server)
{
    [Fact]
    public async Task FreshServer_Ready_WithoutCredentials()
    {
        using var http = server.Factory.CreateClient();

        var (status, body, response) = await ReadyAsync(http);

        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["status"]!.GetValue<string>().ShouldBe("ready");
        Check(body, Readiness.Database).ShouldBe("ok");
        Check(body, Readiness.Migrations).ShouldBe("ok");
        Check(body, Readiness.Outbox).ShouldBe("ok");
        body["checks"]!["outbox"]!["maxBacklog"]!.GetValue<int>().ShouldBe(5);
        body["checks"]!["outbox"]!["backlog"]!.GetValue<long>().ShouldBeLessThanOrEqualTo(5);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        // Liveness is unchanged.
        (await http.GetStringAsync(new Uri("/healthz", UriKind.Relative))).ShouldBe("{\"status\":\"ok\"}");
    }

    [Fact]
    public async Task OutboxBacklogOverTheBound_NotReadyNamingTheOutbox_ReadyAgainOnceConsumed()
    {
        using var http = server.Factory.CreateClient();
        var consumer = server.Factory.Services.GetRequiredService<OutboxConsumer>();
        // The consumer has run its start-up round and sleeps on the fake clock: only a commit that wakes it makes it read.
        for (var i = 0; i < 1000 && !consumer.IsSleeping; i++)
        {
            await Task.Delay(10);
        }

        consumer.IsSleeping.ShouldBeTrue("the outbox consumer never went to sleep");
        (await consumer.DrainAsync(CancellationToken.None)).ShouldBe(0);

        // Six events written past the server's own contexts (no commit observer), so nothing wakes the consumer.
        await using (var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext())
        {
            for (var i = 0; i < 6; i++)
            {
                db.Outbox.Stage(new DomainEvent { OperatorId = "OP0000000000", SimId = $"sim-{i}", Type = DomainEventTypes.StatusChanged, NewValue = "active", OccurredTime = 1 });
            }

            await db.SaveChangesAsync();
        }

        var (status, body, _) = await ReadyAsync(http);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToJsonString());
        body["status"]!.GetValue<string>().ShouldBe("not_ready");
        Check(body, Readiness.Database).ShouldBe("ok");
        Check(body, Readiness.Migrations).ShouldBe("ok");
        var outbox = body["checks"]!["outbox"]!;
        outbox["status"]!.GetValue<string>().ShouldBe("failed");
        outbox["backlog"]!.GetValue<long>().ShouldBe(6);
        outbox["maxBacklog"]!.GetValue<int>().ShouldBe(5);
        outbox["reason"]!.GetValue<string>().ShouldBe("6 events wait for the rule engine, more than Simlane:Health:MaxOutboxBacklog (5)");

        (await consumer.DrainAsync(CancellationToken.None)).ShouldBe(6);

        (await ReadyAsync(http)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DatabaseWithoutMigrations_NotReadyNamingThePendingMigration()
    {
        await using var empty = await TestDatabase.CreateAsync(server.Kind);
        var database = DatabaseOptions.Parse(empty.ConnectionString);

        var report = await new Readiness(database, Options.Create(new HealthOptions()), NullLogger()).CheckAsync(CancellationToken.None);

        report.Ready.ShouldBeFalse();
        report[Readiness.Database].Status.ShouldBe(ReadinessStatus.Ok);
        report[Readiness.Migrations].Status.ShouldBe(ReadinessStatus.Failed);
        await using var db = database.CreateContext();
        report[Readiness.Migrations].Reason.ShouldBe($"1 migration(s) not applied: {Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetMigrations(db.Database).Single()}");
        report[Readiness.Outbox].Status.ShouldBe(ReadinessStatus.Skipped);
        report.ToJson()["status"]!.GetValue<string>().ShouldBe("not_ready");
    }

    /// <summary>
    /// A server cannot start without its database (migrations run first), so an unreachable database is tested on the
    /// check itself: a PostgreSQL port nothing listens on, or a SQLite file in a directory that does not exist.
    /// </summary>
    [Fact]
    public async Task UnreachableDatabase_NotReadyNamingTheDatabase_WithoutTheConnectionString_LoggedOnceWhenItTurns()
    {
        const string password = "pw-never-shown-5c1d";
        var connection = server.Kind == DatabaseKind.Postgres
            ? $"Host=127.0.0.1;Port={ClosedPort()};Database=simlane;Username=simlane;Password={password};Timeout=5"
            : $"Data Source={Path.Combine(Path.GetTempPath(), "simlane-missing-" + Guid.NewGuid().ToString("N"), "simlane.db")};Mode=ReadWrite";
        var logs = new CapturedLogs();
        var readiness = new Readiness(DatabaseOptions.Parse(connection), Options.Create(new HealthOptions { TimeoutSeconds = 10 }),
            new Logger<Readiness>(new LoggerFactory([logs])));

        var report = await readiness.CheckAsync(CancellationToken.None);
        await readiness.CheckAsync(CancellationToken.None);

        report.Ready.ShouldBeFalse();
        var database = report[Readiness.Database];
        database.Status.ShouldBe(ReadinessStatus.Failed);
        database.Reason.ShouldBe(server.Kind == DatabaseKind.Postgres
            ? "could not connect to the database (ConnectionRefused)"
            : "SQLite error 14 (unable to open database file)");
        report[Readiness.Migrations].Status.ShouldBe(ReadinessStatus.Skipped);
        report[Readiness.Outbox].Status.ShouldBe(ReadinessStatus.Skipped);
        var json = report.ToJson().ToJsonString();
        json.ShouldNotContain(password);
        json.ShouldNotContain("127.0.0.1");
        json.ShouldNotContain("simlane-missing-");

        var warning = logs.Entries.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldStartWith($"Not ready (/healthz/ready answers 503): database: {database.Reason}");
        warning.Exception.ShouldNotBeNull();
        warning.AllText.ShouldNotContain(password);
    }

    private static Microsoft.Extensions.Logging.Abstractions.NullLogger<Readiness> NullLogger() => Microsoft.Extensions.Logging.Abstractions.NullLogger<Readiness>.Instance;

    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Check(JsonNode body, string name) => body["checks"]![name]!["status"]!.GetValue<string>();

    private static async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> ReadyAsync(HttpClient http)
    {
        var response = await http.GetAsync(new Uri(Readiness.Route, UriKind.Relative));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response);
    }
}

public sealed class ReadinessTests_Sqlite(BacklogBoundSqliteServer server) : ReadinessTests(server), IClassFixture<BacklogBoundSqliteServer>;

public sealed class ReadinessTests_Postgres(BacklogBoundPostgresServer server) : ReadinessTests(server), IClassFixture<BacklogBoundPostgresServer>;

/// <summary>The <c>Simlane:Health</c> settings' bounds.</summary>
public sealed class HealthOptionsTests
{
    [Theory]
    [InlineData(0, 2, "Simlane:Health:MaxOutboxBacklog must be a whole number of events between 1 and 100000000, not 0")]
    [InlineData(100_000_001, 2, "Simlane:Health:MaxOutboxBacklog must be a whole number of events between 1 and 100000000, not 100000001")]
    [InlineData(10, 0, "Simlane:Health:TimeoutSeconds must be a whole number of seconds between 1 and 60, not 0")]
    [InlineData(10, 61, "Simlane:Health:TimeoutSeconds must be a whole number of seconds between 1 and 60, not 61")]
    public void OutOfRange_Refused(int backlog, int timeout, string message) =>
        Should.Throw<InvalidOperationException>(() => new HealthOptions { MaxOutboxBacklog = backlog, TimeoutSeconds = timeout }.Validate()).Message.ShouldBe(message);

    [Fact]
    public void Defaults_Accepted()
    {
        var options = new HealthOptions();
        options.Validate();
        options.MaxOutboxBacklog.ShouldBe(100_000);
        options.TimeoutSeconds.ShouldBe(2);
    }
}
