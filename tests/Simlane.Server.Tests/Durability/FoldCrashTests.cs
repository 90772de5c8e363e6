using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Events;
using Simlane.Core.Usage;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Server.Tests.Usage;
using Simlane.Storage;
using Simlane.TestSupport;

namespace Simlane.Server.Tests.Durability;

/// <summary>
/// Ingest acknowledges after the journal append and the fold applies it behind (issue 14): a kill -9 while the fold is
/// at work, or with entries not folded yet, loses nothing acknowledged and counts nothing twice once the server is back.
/// </summary>
public abstract class FoldCrashTests(DatabaseKind kind) : FreshDatabaseTest(kind)
{
    [Fact]
    public async Task Kill_WhileFolding_KeepsEveryAcknowledgedRecord_CountedOnce()
    {
        const int Sims = 20;
        const int Batches = 8;
        const int PerBatch = 2_000;
        ApiClient op;
        var imsis = new List<string>();
        var acked = new Dictionary<string, long>(StringComparer.Ordinal);
        var batchesOf = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey))
        {
            op = await first.Client().SignUpAsync();
            await op.ListenToUsageAsync();
            for (var i = 0; i < Sims; i++)
            {
                imsis.Add((await op.CreateRegisteredSimAsync()).Imsi());
            }

            var gateway = first.GatewayClient();
            var now = await op.NowMsAsync() / 1000;
            for (var b = 0; b < Batches; b++)
            {
                var records = new object[PerBatch];
                var touched = new HashSet<string>(StringComparer.Ordinal);
                for (var r = 0; r < PerBatch; r++)
                {
                    var imsi = imsis[(b + r) % (r % 3 == 0 ? Sims : Sims / 2)];
                    records[r] = UsageTestHelpers.Record(imsi, now - (r % 200), 1, r + 1);
                    acked[imsi] = acked.GetValueOrDefault(imsi) + r + 1;
                    touched.Add(imsi);
                }

                (await gateway.PostUsageAsync(records)).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(PerBatch);
                foreach (var imsi in touched)
                {
                    batchesOf[imsi] = batchesOf.GetValueOrDefault(imsi) + 1;
                }
            }

            first.Kill(); // the last batches are being folded, or wait in the journal
        }

        // Whatever the kill interrupted: every acknowledged byte is either in the all-time counter row or in a journal row the
        // counter row is older than (a checkpoint stopped half way wrote some rows up to its freeze point, not others), once.
        await using (var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext())
        {
            var rows = await db.UsageCounters.AsNoTracking().Where(c => c.Scope == UsageScope.Subscriber && c.Period == UsagePeriod.AllTime).ToListAsync();
            var journal = (await db.UsageJournal.AsNoTracking().ToListAsync()).SelectMany(j => j.Entries()).ToList();
            foreach (var imsi in imsis)
            {
                var row = rows.Where(r => r.ScopeId == imsi).ToList();
                var through = row.Count == 0 ? 0 : row.Max(r => r.Through);
                var waiting = journal.Where(e => e.Imsi == imsi && e.Id > through).Sum(e => e.DownloadBytes);
                (row.Sum(r => r.DownloadBytes) + waiting).ShouldBe(acked[imsi], imsi);
            }
        }

        for (var start = 0; start < 2; start++)
        {
            using var server = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey);
            var again = server.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            foreach (var imsi in imsis)
            {
                var nowSeconds = await again.NowMsAsync() / 1000;
                var month = (await again.StatsAsync($"subscribers/{imsi}", nowSeconds - 86_400, nowSeconds, "month")).Buckets();
                month.Sum(m => m.Down).ShouldBe(acked[imsi], imsi);
            }

            if (start == 1)
            {
                // The second start checkpoints (a sandbox drain): the counters' table alone then holds every record, once.
                await again.DrainAsync();
            }

            server.Kill();
        }

        await using var after = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
        (await after.UsageJournal.CountAsync()).ShouldBe(0);
        var checkpointed = await AllTimeDownloadAsync(after);
        foreach (var imsi in imsis)
        {
            checkpointed[imsi].ShouldBe(acked[imsi], imsi);
        }

        var usageEvents = await after.DomainEvents.Where(e => e.Type == DomainEventTypes.UsageRecorded && e.Imsi != null).GroupBy(e => e.Imsi!).Select(g => new { Imsi = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Imsi, x => x.Count);
        foreach (var imsi in imsis)
        {
            usageEvents[imsi].ShouldBe(batchesOf[imsi], $"{imsi}: one UsageRecorded per batch that carried it, none twice");
        }

        (await after.DomainEvents.CountAsync(e => e.Type == DomainEventTypes.FirstTraffic)).ShouldBe(Sims);
    }

    [Fact]
    public async Task EntriesLeftInTheJournal_AreFoldedWhenTheServerStarts()
    {
        ApiClient op;
        string imsi, simId;
        long now;
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey))
        {
            op = await first.Client().SignUpAsync();
            await op.ListenToUsageAsync();
            var sim = await op.CreateRegisteredSimAsync();
            (imsi, simId) = (sim.Imsi(), sim.Str("simId"));
            now = await op.NowMsAsync();
            first.Kill();
        }

        // What a server that acknowledged two batches and died before folding them leaves behind.
        await using (var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext())
        {
            foreach (var down in new[] { 1_000L, 234L })
            {
                db.UsageJournal.Add(UsageJournalBatch.Of([new UsageJournalEntry
                {
                    OperatorId = op.OperatorId!, SimId = simId, Imsi = imsi, Unixtime = (now / 1000) - 60, SpeedClass = "s1.standard",
                    DownloadBytes = down, UploadBytes = 1, AcceptedTime = now,
                }]));
            }

            await db.SaveChangesAsync();
        }

        using (var second = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey))
        {
            // No request reads usage here: the fold runs on its own at start. Wait for its commit (its events; bounded), not for a time.
            await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
            var usage = db.DomainEvents.Where(e => e.Imsi == imsi && (e.Type == DomainEventTypes.UsageRecorded || e.Type == DomainEventTypes.FirstTraffic));
            var waited = Stopwatch.StartNew();
            while (await usage.CountAsync() < 3 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Yield();
            }

            (await usage.OrderBy(e => e.Id).Select(e => e.Type).ToListAsync())
                .ShouldBe([DomainEventTypes.FirstTraffic, DomainEventTypes.UsageRecorded, DomainEventTypes.UsageRecorded], "the fold ran at start");
            var again = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            var nowSeconds = await again.NowMsAsync() / 1000;
            (await again.StatsAsync($"subscribers/{imsi}", nowSeconds - 86_400, nowSeconds, "month")).Buckets().Sum(m => m.Down).ShouldBe(1_234);

            // A checkpoint writes them to the counters' table and empties the journal.
            await again.DrainAsync();
            (await db.UsageJournal.CountAsync()).ShouldBe(0);
            (await AllTimeDownloadAsync(db))[imsi].ShouldBe(1_234);
            (await usage.CountAsync()).ShouldBe(3, "no event written twice");
            second.Kill();
        }
    }

    [Fact]
    public async Task Kill_DuringACheckpoint_ItIsResumed_AndNothingIsCountedTwice()
    {
        ApiClient op;
        string a, b;
        using (var first = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey))
        {
            op = await first.Client().SignUpAsync();
            await op.ListenToUsageAsync();
            (a, b) = ((await op.CreateRegisteredSimAsync()).Imsi(), (await op.CreateRegisteredSimAsync()).Imsi());
            var now = await op.NowMsAsync() / 1000;
            var gateway = first.GatewayClient();
            (await gateway.PostUsageAsync(UsageTestHelpers.Record(a, now - 60, 1, 100), UsageTestHelpers.Record(b, now - 60, 1, 10))).ShouldBe(HttpStatusCode.OK);
            (await gateway.PostUsageAsync(UsageTestHelpers.Record(a, now - 30, 1, 1_000))).ShouldBe(HttpStatusCode.OK);
            (await op.StatsAsync($"subscribers/{a}", now - 86_400, now, "month")).Buckets().Sum(m => m.Down).ShouldBe(1_100, "folded, not checkpointed");
            first.Kill();
        }

        // What a server killed half way through a checkpoint leaves: the freeze point set, a new generation, A's all-time row
        // written up to it (its chunk committed), B's not, the journal rows still there.
        long frozen;
        await using (var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext())
        {
            var cursors = await new UsageStore(db).FoldCursorsAsync(CancellationToken.None);
            (cursors.Frozen, await db.UsageCounters.CountAsync()).ShouldBe((0L, 0), "nothing checkpointed yet");
            frozen = cursors.Folded;
            db.EngineCursors.Add(new EngineCursor { Name = UsageFoldCursors.Frozen, Position = frozen, UpdatedTime = 0 });
            if (await db.EngineCursors.SingleOrDefaultAsync(c => c.Name == UsageFoldCursors.Checkpoint) is { } generation)
            {
                generation.Position++;
            }
            else
            {
                db.EngineCursors.Add(new EngineCursor { Name = UsageFoldCursors.Checkpoint, Position = 1, UpdatedTime = 0 });
            }

            db.UsageCounters.Add(new UsageCounter
            {
                Scope = UsageScope.Subscriber, ScopeId = a, Period = UsagePeriod.AllTime, BucketStart = 0, SpeedClass = "s1.standard",
                OperatorId = op.OperatorId!, UploadBytes = 2, DownloadBytes = 1_100, UploadPackets = 2, DownloadPackets = 2, Through = frozen,
            });
            await db.SaveChangesAsync();
        }

        using (var second = await ServerProcess.StartAsync(Database.ConnectionString, ServerProcess.WithGatewayKey))
        {
            // Exact whichever step of the resumed checkpoint the reads meet: the row of A holds its part, B's part is in memory.
            var again = second.Client().WithCredentials(op.ApiKey!, op.Token!, op.OperatorId);
            var now = await again.NowMsAsync() / 1000;
            (await again.StatsAsync($"subscribers/{a}", now - 86_400, now, "month")).Buckets().Sum(m => m.Down).ShouldBe(1_100);
            (await again.StatsAsync($"subscribers/{b}", now - 86_400, now, "month")).Buckets().Sum(m => m.Down).ShouldBe(10);
            (await again.StatsAsync($"operators/{op.OperatorId}", now - 86_400, now, "month")).Buckets().Sum(m => m.Down).ShouldBe(1_110);

            // A sandbox drain completes every checkpoint: the table alone then holds every record, once.
            await again.DrainAsync();
            await using var db = DatabaseOptions.Parse(Database.ConnectionString).CreateContext();
            (await new UsageStore(db).FoldCursorsAsync(CancellationToken.None)).Frozen.ShouldBe(0);
            (await db.UsageJournal.CountAsync()).ShouldBe(0);
            var allTime = await AllTimeDownloadAsync(db);
            (allTime[a], allTime[b]).ShouldBe((1_100L, 10L));
            (await db.UsageCounters.Where(c => c.ScopeId == a && c.Period == UsagePeriod.AllTime).Select(c => c.Through).SingleAsync()).ShouldBe(frozen);
            (await again.StatsAsync($"subscribers/{a}", now - 86_400, now, "month")).Buckets().Sum(m => m.Down).ShouldBe(1_100);
            (await db.DomainEvents.CountAsync(e => e.Type == DomainEventTypes.UsageRecorded && e.Imsi == a)).ShouldBe(2, "not folded again");
            second.Kill();
        }
    }

    private static Task<Dictionary<string, long>> AllTimeDownloadAsync(SimlaneDb db) =>
        db.UsageCounters.Where(c => c.Scope == UsageScope.Subscriber && c.Period == UsagePeriod.AllTime)
            .GroupBy(c => c.ScopeId).Select(g => new { Imsi = g.Key, Down = g.Sum(c => c.DownloadBytes) })
            .ToDictionaryAsync(x => x.Imsi, x => x.Down);
}

public sealed class FoldCrashTests_Sqlite() : FoldCrashTests(DatabaseKind.Sqlite);

public sealed class FoldCrashTests_Postgres() : FoldCrashTests(DatabaseKind.Postgres);
