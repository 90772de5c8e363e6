using Simlane.Core.Usage;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Simlane.Core.Events;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Usage;

/// <summary>
/// The fold behind ingest (issue 14): ingest answers after the journal append, the fold applies the journal to the
/// counters and writes the engine's events; the stats API folds what was acknowledged before it answers.
/// </summary>
public abstract class UsageFoldTests(ServerFixture server)
{
    private long Now => server.Clock.GetUtcNow().ToUnixTimeSeconds();

    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    /// <summary>
    /// One journal row as ingest appends it (not folded yet; a plain context wakes no fold): <paramref name="records"/> s1.standard records
    /// of <paramref name="sim"/>, record <c>i</c> at <paramref name="unixtime"/>(i) with <paramref name="downloadBytes"/>(i) down.
    /// </summary>
    private static UsageJournalBatch JournalRow(
        ApiClient op, ApiResponse sim, int records, long acceptedTime, Func<int, long> unixtime, Func<int, long> downloadBytes, long uploadBytes) =>
        UsageJournalBatch.Of([.. Enumerable.Range(0, records).Select(i => new UsageJournalEntry
        {
            OperatorId = op.OperatorId!, SimId = sim.Str("simId"), Imsi = sim.Imsi(), Unixtime = unixtime(i),
            SpeedClass = "s1.standard", UploadBytes = uploadBytes, DownloadBytes = downloadBytes(i), AcceptedTime = acceptedTime,
        })]);

    [Fact]
    public async Task ALargeBatch_IsAppendedWhole_EveryFieldInPlace()
    {
        // A batch of 1,000 goes to the journal in multi-row statements: every value must land in its own column, once.
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        const int Records = 1_000;
        var records = Enumerable.Range(0, Records)
            .Select(i => UsageTestHelpers.Record(sim.Imsi(), Now - (i % 100), 1, i + 1, i % 2 == 0 ? "s1.fast" : null)).ToArray();
        (await server.Gateway().PostUsageAsync(records)).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(Records);

        var day = (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).ShouldHaveSingleItem()!;
        var map = day["dataTrafficStatsMap"]!.AsObject();
        map.Select(p => p.Key).ShouldBe(["s1.fast", "s1.standard"]);
        long Sum(Func<int, bool> which) => Enumerable.Range(0, Records).Where(which).Sum(i => (long)i + 1);
        (map["s1.fast"]!["uploadByteSizeTotal"]!.GetValue<long>(), map["s1.fast"]!["downloadByteSizeTotal"]!.GetValue<long>()).ShouldBe((Records / 2L, Sum(i => i % 2 == 0)));
        (map["s1.standard"]!["uploadByteSizeTotal"]!.GetValue<long>(), map["s1.standard"]!["downloadByteSizeTotal"]!.GetValue<long>()).ShouldBe((Records / 2L, Sum(i => i % 2 == 1)));
        (map["s1.fast"]!["uploadPacketSizeTotal"]!.GetValue<long>(), map["s1.fast"]!["downloadPacketSizeTotal"]!.GetValue<long>()).ShouldBe((Records / 2L, Records * 1L));
        (await server.Gateway().PostUsageAsync(records)).ShouldBe(HttpStatusCode.OK).Json["duplicates"]!.GetValue<int>().ShouldBe(Records);
    }

    [Fact]
    public async Task AGatewayBatchOfTwoOperators_IsOneJournalRowPerOperator_EachCountedForItsOwn()
    {
        // The platform gateway sends one batch for SIMs of two operators: one journal row each (a sandbox operator's deletion
        // removes its own rows), every value intact.
        var (a, b) = (await server.NewOperatorAsync(), await server.NewOperatorAsync());
        var (simA, simB) = (await a.CreateRegisteredSimAsync(), await b.CreateRegisteredSimAsync());
        const long Big = 1L << 40; // the largest a record may carry, past 32 bits
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(simA.Imsi(), Now - 3, 1, Big),
            UsageTestHelpers.Record(simB.Imsi(), Now - 2, 2, 20),
            UsageTestHelpers.Record(simA.Imsi(), Now - 1, 3, 30))).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(3);

        // What the append wrote, seen inside a transaction that is then rolled back (a checkpoint could empty the journal any time).
        await using (var db = Db())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            UsageJournalEntry Entry(string operatorId, ApiResponse sim, long unixtime, long up, long down) => new()
            {
                OperatorId = operatorId, SimId = sim.Str("simId"), Imsi = sim.Imsi(), Unixtime = unixtime, SpeedClass = "s1.fast",
                UploadBytes = up, DownloadBytes = down, UploadPackets = long.MaxValue, DownloadPackets = 0, AcceptedTime = 1_234,
            };
            await new UsageStore(db).AppendJournalAsync([
                Entry(a.OperatorId!, simA, Now - 3, 1, Big), Entry(b.OperatorId!, simB, Now - 2, 2, 20), Entry(a.OperatorId!, simA, -1, 3, 30)]);
            var rows = await db.UsageJournal.AsNoTracking().Where(j => (j.OperatorId == a.OperatorId || j.OperatorId == b.OperatorId) && j.AcceptedTime == 1_234).ToListAsync();
            rows.Select(r => (r.OperatorId, r.Records, r.AcceptedTime)).OrderBy(r => r.Records).ShouldBe([(b.OperatorId!, 1, 1_234L), (a.OperatorId!, 2, 1_234L)]);
            var ofA = rows.Single(r => r.OperatorId == a.OperatorId).Entries();
            ofA.Select(e => (e.Imsi, e.SimId, e.Unixtime, e.SpeedClass, e.UploadBytes, e.DownloadBytes, e.UploadPackets, e.DownloadPackets, e.AcceptedTime)).ShouldBe([
                (simA.Imsi(), simA.Str("simId"), Now - 3, "s1.fast", 1L, Big, long.MaxValue, 0L, 1_234L),
                (simA.Imsi(), simA.Str("simId"), -1L, "s1.fast", 3L, 30L, long.MaxValue, 0L, 1_234L)]);
            ofA.ShouldAllBe(e => e.Id == rows.Single(r => r.OperatorId == a.OperatorId).Id && e.Batch == e.Id);
            await transaction.RollbackAsync();
        }

        (await a.StatsAsync($"subscribers/{simA.Imsi()}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 4L, Big + 30));
        (await b.StatsAsync($"operators/{b.OperatorId}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 2L, 20L));
        (await a.StatsAsync($"operators/{a.OperatorId}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 4L, Big + 30));
    }

    [Fact]
    public async Task UsageEvents_AreWrittenOnlyForImsisAnActiveHandlerMayMatch()
    {
        var op = await server.NewOperatorAsync();
        var watched = await op.CreateRegisteredSimAsync();
        var other = await op.CreateRegisteredSimAsync();
        await op.CreateHandlerAsync("targetImsi", watched.Imsi(), "SubscriberDailyTrafficRule", """{"limitTotalTrafficMegaByte":"1000","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        await server.TrafficAsync(op, watched.Imsi(), 10);
        await server.TrafficAsync(op, other.Imsi(), 20);

        // A first-traffic handler on the whole operator: a new SIM's first traffic is an event, the other SIM's is not first any more.
        await op.CreateHandlerAsync("targetOperatorId", op.OperatorId!, "SubscriberFirstTrafficRule", """{"inactiveTimeoutDateConst":"NEVER"}""");
        var fresh = await op.CreateRegisteredSimAsync();
        await server.TrafficAsync(op, other.Imsi(), 30);
        await server.TrafficAsync(op, fresh.Imsi(), 40);

        await using var db = Db();
        var events = await db.DomainEvents.AsNoTracking()
            .Where(e => e.OperatorId == op.OperatorId && (e.Type == DomainEventTypes.UsageRecorded || e.Type == DomainEventTypes.FirstTraffic))
            .OrderBy(e => e.Id).Select(e => new { e.Type, e.Imsi }).ToListAsync();
        events.Select(e => (e.Type, e.Imsi)).ShouldBe([(DomainEventTypes.UsageRecorded, watched.Imsi()), (DomainEventTypes.FirstTraffic, fresh.Imsi())]);

        // The counters count everything, listened to or not.
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "day")).Buckets().Single().Down.ShouldBe(100L);
    }

    [Fact]
    public async Task AHandlerCreatedAfterTraffic_FiresOnTheNextTraffic_OnTheWholeTotal()
    {
        var op = await server.NewOperatorAsync();
        var imsi = (await op.CreateRegisteredSimAsync()).Imsi();
        await server.TrafficAsync(op, imsi, 2 * EngineTestKit.MiB);

        // No handler listened when that traffic was folded: no event, so nothing to fire on yet.
        var id = await op.CreateHandlerAsync("targetImsi", imsi, "SubscriberDailyTrafficRule", """{"limitTotalTrafficMegaByte":"1","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        await op.DrainAsync();
        (await op.FiringsAsync(id)).ShouldBe(0);

        await server.TrafficAsync(op, imsi, 1);
        var execution = (await op.ExecutionsAsync(id)).ShouldHaveSingleItem()!;
        execution["observedValue"]!.GetValue<string>().ShouldBe(((2 * EngineTestKit.MiB) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ADuplicate_IsRefusedWhetherTheFirstCopyWasFoldedOrNot()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var simId = sim.Str("simId");
        var gateway = server.Gateway();
        var a = UsageTestHelpers.Record(sim.Imsi(), Now - 30, 10, 20);
        var b = UsageTestHelpers.Record(sim.Imsi(), Now - 20, 1, 2);
        var c = UsageTestHelpers.Record(sim.Imsi(), Now - 10, 100, 200);

        // Resent straight away: the first copy may still be in the journal.
        (await gateway.PostUsageAsync(a)).ShouldBe(HttpStatusCode.OK).Json["accepted"]!.GetValue<int>().ShouldBe(1);
        var soon = (await gateway.PostUsageAsync(a, b)).ShouldBe(HttpStatusCode.OK);
        (soon.Json["accepted"]!.GetValue<int>(), soon.Json["duplicates"]!.GetValue<int>()).ShouldBe((1, 1));

        // Resent after a stats read folded everything: the record IDs are still known.
        (await op.StatsAsync($"sims/{simId}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 11L, 22L));
        var late = (await gateway.PostUsageAsync(a, b, c)).ShouldBe(HttpStatusCode.OK);
        (late.Json["accepted"]!.GetValue<int>(), late.Json["duplicates"]!.GetValue<int>()).ShouldBe((1, 2));

        (await op.StatsAsync($"sims/{simId}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 111L, 222L));
        await op.DrainAsync();
        await using var db = Db();
        (await db.UsageJournal.ToListAsync()).SelectMany(j => j.Entries()).Count(e => e.SimId == simId).ShouldBe(0, "the sandbox drain checkpointed the fold");
    }

    [Fact]
    public async Task OneFoldOfSeveralBatches_CountsEachOnce_AndWritesOneEventPerImsiPerBatch()
    {
        var op = await server.NewOperatorAsync();
        await op.ListenToUsageAsync();
        var first = await op.CreateRegisteredSimAsync();
        var second = await op.CreateRegisteredSimAsync();
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        // Entries as two ingest batches left them, not folded yet (a plain context wakes no fold): one fold takes both.
        await using (var db = Db())
        {
            UsageJournalEntry Entry(ApiResponse sim, long unixtime, long up, long down, long accepted) => new()
            {
                OperatorId = op.OperatorId!, SimId = sim.Str("simId"), Imsi = sim.Imsi(), Unixtime = unixtime, SpeedClass = "s1.standard",
                UploadBytes = up, DownloadBytes = down, UploadPackets = 1, DownloadPackets = 1, AcceptedTime = accepted,
            };
            db.UsageJournal.AddRange(
                UsageJournalBatch.Of([
                    Entry(first, Now - 50, 10, 20, now - 2_000),
                    Entry(second, Now - 45, 5, 5, now - 2_000),
                    Entry(first, Now - 40, 1, 2, now - 2_000)]),
                UsageJournalBatch.Of([Entry(first, Now - 30, 100, 200, now - 1_000)]));
            await db.SaveChangesAsync();
        }

        (await op.StatsAsync($"subscribers/{first.Imsi()}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 111L, 222L));
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 116L, 227L));

        await using var check = Db();
        var events = await check.DomainEvents.AsNoTracking()
            .Where(e => e.OperatorId == op.OperatorId && (e.Type == DomainEventTypes.UsageRecorded || e.Type == DomainEventTypes.FirstTraffic))
            .OrderBy(e => e.Id).ToListAsync();
        var (low, high) = string.CompareOrdinal(first.Imsi(), second.Imsi()) < 0 ? (first.Imsi(), second.Imsi()) : (second.Imsi(), first.Imsi());
        events.Select(e => (e.Type, e.Imsi)).ShouldBe([
            (DomainEventTypes.FirstTraffic, low), (DomainEventTypes.UsageRecorded, low),
            (DomainEventTypes.FirstTraffic, high), (DomainEventTypes.UsageRecorded, high),
            (DomainEventTypes.UsageRecorded, first.Imsi()),
        ], "the first batch (its IMSIs in order), then the second; first traffic once per IMSI");
        var firstBatch = JsonNode.Parse(events.First(e => e.Type == DomainEventTypes.UsageRecorded && e.Imsi == first.Imsi()).NewValue!)!;
        (firstBatch["uploadBytes"]!.GetValue<long>(), firstBatch["fromUnixtime"]!.GetValue<long>(), firstBatch["toUnixtime"]!.GetValue<long>()).ShouldBe((11L, Now - 50, Now - 40));
        events[1].OccurredTime.ShouldBe(now - 2_000, "stamped when the batch was accepted, not when it was folded");
        events[3].OccurredTime.ShouldBe(now - 2_000);
        events[4].OccurredTime.ShouldBe(now - 1_000);
        await op.DrainAsync();
        (await check.UsageJournal.CountAsync(j => j.OperatorId == op.OperatorId)).ShouldBe(0);
    }

    [Fact]
    public async Task ABatchLargerThanWhatOneFoldTakes_IsNotSplitBetweenFolds()
    {
        var op = await server.NewOperatorAsync();
        await op.ListenToUsageAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        const int PerBatch = (Simlane.Server.Usage.UsageFold.BatchSize / 2) + 500;

        // Two batches whose entries straddle the fold's limit: the first fold takes the second batch whole.
        await using (var db = Db())
        {
            foreach (var batch in new[] { 21L, 22L })
            {
                db.UsageJournal.Add(JournalRow(op, sim, PerBatch, now, i => Now - 100 + (i % 50), _ => batch, uploadBytes: 0));
            }

            await db.SaveChangesAsync();
        }

        (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).Buckets().Single().Down.ShouldBe((21L + 22L) * PerBatch);
        await using var check = Db();
        var usage = await check.DomainEvents.AsNoTracking().Where(e => e.Imsi == sim.Imsi() && e.Type == DomainEventTypes.UsageRecorded)
            .OrderBy(e => e.Id).Select(e => e.NewValue!).ToListAsync();
        usage.Select(v => JsonNode.Parse(v)!["downloadBytes"]!.GetValue<long>()).ShouldBe([21L * PerBatch, 22L * PerBatch], "one event per batch, each whole");
    }

    [Fact]
    public async Task TheJournal_HoldsOnlyWhatIsNotCheckpointed()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), Now - 5, 1, 1))).ShouldBe(HttpStatusCode.OK);
        await op.DrainAsync();

        await using var db = Db();
        (await db.UsageJournal.CountAsync(j => j.OperatorId == op.OperatorId)).ShouldBe(0);
        (await db.UsageCounters.CountAsync(c => c.OperatorId == op.OperatorId && c.ScopeId == sim.Imsi())).ShouldBe(3, "five minutes, day, all time (a month is its days, S67)");
    }

    [Fact]
    public async Task FoldedUsage_IsReadFromMemoryBeforeTheCheckpoint_AndNeverTwiceAfterIt()
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), Now - 5, 3, 4))).ShouldBe(HttpStatusCode.OK);

        // Folded (the stats read folds first) but not checkpointed: the table has no row for it, the answer has it all.
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 3L, 4L));
        await using (var db = Db())
        {
            (await db.UsageCounters.CountAsync(c => c.OperatorId == op.OperatorId)).ShouldBe(0, "no counter row is written per fold");
            (await db.UsageJournal.CountAsync(j => j.OperatorId == op.OperatorId)).ShouldBe(1, "kept until the checkpoint");
        }

        // Checkpointed: the rows hold it, the overlay no longer does; then more traffic goes to the overlay again.
        await op.DrainAsync();
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 3L, 4L));
        (await server.Gateway().PostUsageAsync(UsageTestHelpers.Record(sim.Imsi(), Now - 4, 10, 20))).ShouldBe(HttpStatusCode.OK);
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 13L, 24L));
        (await op.StatsAsync($"operators/{op.OperatorId}", Now, Now, "day")).Buckets().Single().ShouldBe((DayStart(Now), 13L, 24L));
        await using (var db = Db())
        {
            (await db.UsageCounters.Where(c => c.ScopeId == sim.Imsi() && c.Period == UsagePeriod.AllTime).SumAsync(c => c.DownloadBytes)).ShouldBe(4);
        }
    }

    [Fact]
    public async Task TheOverlay_AddsUpDaysMonthsAndAllTime_FromItsFinestCounters_AsTheTableHoldsThemAfterTheCheckpoint()
    {
        // The overlay keeps a subscriber's five-minute counters and a group's or operator's days only, and adds up the coarser
        // ones when read (S71): across a month's end and two speed classes, every answer is the same before and after the
        // checkpoint writes the rows, and the rows are the sums. (Groups are added up as operators are: GroupAttributionTests.)
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var month = UsageWindows.MonthStart(Now);
        (Now - month).ShouldBeLessThan(6 * 86_400L, "the fixture's clock starts early in a month: the month before is in the window");
        (await server.Gateway().PostUsageAsync(
            UsageTestHelpers.Record(sim.Imsi(), month - 120, 1, 10),
            UsageTestHelpers.Record(sim.Imsi(), month + 60, 2, 20, "s1.fast"),
            UsageTestHelpers.Record(sim.Imsi(), month + 120, 4, 40),
            UsageTestHelpers.Record(sim.Imsi(), Now - 5, 8, 80))).ShouldBe(HttpStatusCode.OK);

        var previousMonth = UsageWindows.MonthStart(month - 1);
        var from = month - 120;
        async Task<List<List<(long, long, long)>>> AnswersAsync() =>
        [
            (await op.StatsAsync($"subscribers/{sim.Imsi()}", from, Now, "minutes")).Buckets(),
            (await op.StatsAsync($"subscribers/{sim.Imsi()}", from, Now, "day")).Buckets(),
            (await op.StatsAsync($"subscribers/{sim.Imsi()}", from, Now, "month")).Buckets(),
            (await op.StatsAsync($"operators/{op.OperatorId}", from, Now, "day")).Buckets(),
            (await op.StatsAsync($"operators/{op.OperatorId}", from, Now, "month")).Buckets(),
        ];

        var before = await AnswersAsync();
        await using (var db = Db())
        {
            (await db.UsageCounters.CountAsync(c => c.OperatorId == op.OperatorId)).ShouldBe(0, "read from the overlay alone");
        }

        before[2].ShouldBe([(previousMonth, 1L, 10L), (month, 14L, 140L)]);
        before[4].ShouldBe([(previousMonth, 1L, 10L), (month, 14L, 140L)]);
        before[1].Sum(b => b.Item2).ShouldBe(15L);
        before[3].ShouldBe(before[1], "the operator's days are its one subscriber's");
        before[0].Count.ShouldBe(Now - 5 - (month + 120) >= 300 ? 3 : 2, "five-minute buckets: the month's last, the new month's first (both speed classes), now's");

        await op.DrainAsync();
        (await AnswersAsync()).ShouldBe(before);
        await using var check = Db();
        var rows = await check.UsageCounters.AsNoTracking().Where(c => c.OperatorId == op.OperatorId).ToListAsync();
        rows.Where(c => c.Scope == UsageScope.Subscriber && c.Period == UsagePeriod.AllTime).Select(c => (c.SpeedClass, c.UploadBytes, c.DownloadBytes))
            .OrderBy(r => r.SpeedClass, StringComparer.Ordinal).ShouldBe([("s1.fast", 2L, 20L), ("s1.standard", 13L, 130L)]);
        rows.Where(c => c.Scope == UsageScope.Operator && c.Period == UsagePeriod.Month && c.SpeedClass == "s1.standard").OrderBy(c => c.BucketStart)
            .Select(c => (c.BucketStart, c.UploadBytes)).ShouldBe([(previousMonth, 1L), (month, 12L)]);
        rows.Where(c => c.Scope == UsageScope.Operator && c.Period == UsagePeriod.AllTime).Sum(c => c.UploadBytes).ShouldBe(15L);
        rows.Count(c => c.Scope == UsageScope.Subscriber && c.Period == UsagePeriod.Day).ShouldBe(4, "three days of s1.standard (the month's last, the first, today), one of s1.fast");
    }

    [Fact]
    public async Task ARebuiltOverlay_ReadsTheJournalPageByPage_AndAnswersAsBefore()
    {
        // 9,000 records in three journal rows: a rebuild (a restart, another server's checkpoint) reads them in pages of whole
        // rows of about 5,000 records and must add up to what the fold had.
        const int PerRow = 3_000;
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var db = Db())
        {
            for (var row = 0; row < 3; row++)
            {
                var first = row * PerRow;
                var down = row + 1L;
                db.UsageJournal.Add(JournalRow(op, sim, PerRow, now, i => Now - (300L * (first + i + 1) % 500_000), _ => down, uploadBytes: 1));
            }

            await db.SaveChangesAsync();
        }

        var from = Now - 600_000;
        var folded = (await op.StatsAsync($"subscribers/{sim.Imsi()}", from, Now, "day")).Buckets();
        folded.Sum(b => b.Item3).ShouldBe(PerRow * (1L + 2 + 3));

        server.Factory.Services.GetRequiredService<Simlane.Server.Usage.UsageOverlay>().Invalidate();
        (await op.StatsAsync($"subscribers/{sim.Imsi()}", from, Now, "day")).Buckets().ShouldBe(folded);
        (await op.StatsAsync($"operators/{op.OperatorId}", from, Now, "month")).Buckets().Sum(b => b.Item2).ShouldBe(3L * PerRow);
    }

    [Fact]
    public async Task ACheckpointOfManyCounters_WritesEachOnce()
    {
        // 6,000 records, each in its own five-minute bucket: over 12,000 counters (PostgreSQL takes them through COPY).
        const int Records = 6_000;
        var op = await server.NewOperatorAsync();
        var sim = await op.CreateRegisteredSimAsync();
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var db = Db())
        {
            db.UsageJournal.Add(JournalRow(op, sim, Records, now, i => Now - (300L * (i + 1)), i => i, uploadBytes: 1));

            await db.SaveChangesAsync();
        }

        await op.DrainAsync();
        await using var check = Db();
        (await check.UsageJournal.CountAsync(j => j.OperatorId == op.OperatorId)).ShouldBe(0);
        var minutes = check.UsageCounters.Where(c => c.Scope == UsageScope.Subscriber && c.ScopeId == sim.Imsi() && c.Period == UsagePeriod.FiveMinutes);
        (await minutes.CountAsync()).ShouldBe(Records);
        (await minutes.SumAsync(c => c.DownloadBytes)).ShouldBe((long)Records * (Records - 1) / 2);
        (await check.UsageCounters.Where(c => c.Scope == UsageScope.Subscriber && c.ScopeId == sim.Imsi() && c.Period == UsagePeriod.AllTime)
            .SumAsync(c => c.UploadBytes)).ShouldBe(Records);
        (await check.UsageCounters.CountAsync(c => c.Scope == UsageScope.Sim)).ShouldBe(0, "a SIM's counters are its subscriptions' (S66)");
        var from = Now - (300L * Records);
        var day = await op.StatsAsync($"subscribers/{sim.Imsi()}", from, Now, "day");
        day.Buckets().Sum(b => b.Down).ShouldBe((long)Records * (Records - 1) / 2, "the stats read the rows alone, once");
    }

    private static long DayStart(long t) => t - (t % 86_400);
}

public sealed class UsageFoldTests_Sqlite(SqliteServer server) : UsageFoldTests(server), IClassFixture<SqliteServer>;

public sealed class UsageFoldTests_Postgres(PostgresServer server) : UsageFoldTests(server), IClassFixture<PostgresServer>;
