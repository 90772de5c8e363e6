using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Simlane.Core.Events;
using Simlane.Server.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Engine;

/// <summary>The sandbox clock answers only after the outbox consumer has consumed every event, on both databases.</summary>
public abstract class SandboxDrainTests(DatabaseKind kind) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly Recorder recorder = new();
    private TestDatabase database = null!;
    private SimlaneFactory factory = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        factory = new SimlaneFactory(database.ConnectionString, clock);
        host = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IDomainEventConsumer>(recorder)));
        _ = host.Server;
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await factory.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task AdvancingTheClock_ConsumesPendingEvents_BeforeAnswering()
    {
        var op = await new ApiClient(host.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();

        // Written without waking the consumer, and the fake clock never reaches its poll: only the sandbox clock drains it.
        await using (var db = DatabaseOptions.Parse(database.ConnectionString).CreateContext())
        {
            db.Outbox.Stage(new DomainEvent { OperatorId = "OP1", SimId = "SIM1", Type = "Test", OccurredTime = 1 });
            await db.SaveChangesAsync();
        }

        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 0 })).ShouldBe(HttpStatusCode.OK);
        recorder.Types.ShouldContain("Test");
    }

    [Fact]
    public async Task AnExpiryFiredByTheClock_IsConsumedBeforeTheClockAnswers()
    {
        var op = await new ApiClient(host.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        var now = (await op.GetAsync("/v1/sandbox/clock")).ShouldBe(HttpStatusCode.OK).Json["now"]!.GetValue<long>();
        (await op.PostAsync($"/v1/sims/{simId}/set_expiry_time", new { expiryTime = now + 60_000, expiryAction = "doNothing" })).ShouldBe(HttpStatusCode.OK);

        (await op.PostAsync("/v1/sandbox/clock", new { advanceSeconds = 61 })).ShouldBe(HttpStatusCode.OK);
        recorder.Types.ShouldContain(DomainEventTypes.Expired);
    }

    private sealed class Recorder : IDomainEventConsumer
    {
        private readonly ConcurrentQueue<string> types = new();

        public List<string> Types => types.ToList();

        public Task ConsumeAsync(SimlaneDb db, IReadOnlyList<DomainEvent> batch, long now, CancellationToken cancellationToken)
        {
            foreach (var e in batch)
            {
                types.Enqueue(e.Type);
            }

            return Task.CompletedTask;
        }
    }
}

public sealed class SqliteSandboxDrainTests() : SandboxDrainTests(DatabaseKind.Sqlite);

public sealed class PostgresSandboxDrainTests() : SandboxDrainTests(DatabaseKind.Postgres);
