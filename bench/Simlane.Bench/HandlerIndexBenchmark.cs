using System.Globalization;
using BenchmarkDotNet.Attributes;
using Simlane.Core.Engine;
using Simlane.Core.Events;
using Simlane.Core.Handlers;

namespace Simlane.Bench;

/// <summary>
/// In-process evaluation per usage record: <see cref="HandlerIndex.Candidates"/> for a usage record of a random IMSI
/// among 1,000,000 synthetic SIMs, then for each candidate the handler's limit (a dictionary lookup by handler id, as the
/// engine looks up its handler rows) and <see cref="Thresholds.Exceeds"/>. Counters come from the database in the
/// server; here the observed total is synthetic, so this measures the engine's in-memory matching only.
/// </summary>
/// <remarks>
/// Layout: 100 operators × 10,000 SIMs; each operator has 100 groups and every SIM is in one. 10,000 handlers:
/// 10 per operator (1,000; 7 of the 10 listen to usage, 2 of them are operator-total rules), 3,000 on groups,
/// 3,000 on SIMs, 3,000 on IMSIs, rule types cycling over traffic and non-traffic rules. With 10 operator
/// handlers per operator (SORACOM's per-target limit) every usage record has at least 7 candidates.
/// </remarks>
[SimpleJob(warmupCount: 3, iterationCount: 5)]
[MemoryDiagnoser]
public class HandlerIndexBenchmark
{
    public const int SimCount = 1_000_000;
    public const int Operators = 100;
    public const int GroupsPerOperator = 100;
    private const int RecordsPerInvoke = 4096;

    private static readonly string[] OperatorRules =
    [
        RuleCatalogue.SubscriberDailyTraffic, RuleCatalogue.SubscriberMonthlyTraffic, RuleCatalogue.SubscriberCumulativeTraffic,
        RuleCatalogue.SimDailyTotalTraffic, RuleCatalogue.SimMonthlyTotalTraffic, RuleCatalogue.DailyTotalTraffic,
        RuleCatalogue.MonthlyTotalTraffic, RuleCatalogue.SubscriberStatusAttribute, RuleCatalogue.SimExpired, RuleCatalogue.MonthlyCharge,
    ];

    private static readonly string[] UnitRules =
    [
        RuleCatalogue.SubscriberDailyTraffic, RuleCatalogue.SubscriberMonthlyTraffic, RuleCatalogue.SubscriberCumulativeTraffic,
        RuleCatalogue.SimDailyTotalTraffic, RuleCatalogue.SimMonthlyTotalTraffic, RuleCatalogue.SimCumulativeTotalTraffic,
        RuleCatalogue.SubscriberStatusAttribute, RuleCatalogue.SimSpeedClassAttribute, RuleCatalogue.SubscriberFirstTraffic,
        RuleCatalogue.SubscriberSessionStatus,
    ];

    private EventUnit[] units = [];
    private List<IndexedHandler> handlers = [];
    private Dictionary<string, long> limits = [];
    private HandlerIndex index = null!;
    private ulong state = 0x9E3779B97F4A7C15;

    public static string Imsi(int i) => "00101" + i.ToString("D10", CultureInfo.InvariantCulture);

    public static string SimId(int i) => "BN" + i.ToString("D13", CultureInfo.InvariantCulture);

    [GlobalSetup]
    public void Setup()
    {
        var operatorIds = Enumerable.Range(0, Operators).Select(o => "OP" + o.ToString("D9", CultureInfo.InvariantCulture)).ToArray();
        var groupIds = Enumerable.Range(0, Operators * GroupsPerOperator).Select(g => "GR" + g.ToString("D9", CultureInfo.InvariantCulture)).ToArray();
        units = new EventUnit[SimCount];
        for (var i = 0; i < SimCount; i++)
        {
            var op = i / (SimCount / Operators);
            units[i] = new EventUnit(operatorIds[op], SimId(i), Imsi(i), groupIds[(op * GroupsPerOperator) + (i % GroupsPerOperator)], PrimaryImsi: true);
        }

        var random = new Random(42);
        handlers = new List<IndexedHandler>(10_000);
        void AddHandler(string operatorId, string rule, TargetKind kind, string target) =>
            handlers.Add(new IndexedHandler("EH" + handlers.Count.ToString("D9", CultureInfo.InvariantCulture), operatorId, rule, kind, target));
        for (var o = 0; o < Operators; o++)
        {
            foreach (var rule in OperatorRules)
            {
                AddHandler(operatorIds[o], rule, TargetKind.Operator, operatorIds[o]);
            }
        }

        for (var j = 0; j < 3_000; j++)
        {
            var g = random.Next(groupIds.Length);
            AddHandler(operatorIds[g / GroupsPerOperator], UnitRules[j % UnitRules.Length], TargetKind.Group, groupIds[g]);
        }

        foreach (var kind in new[] { TargetKind.Sim, TargetKind.Imsi })
        {
            for (var j = 0; j < 3_000; j++)
            {
                var unit = units[random.Next(SimCount)];
                AddHandler(unit.OperatorId, UnitRules[j % UnitRules.Length], kind, kind == TargetKind.Sim ? unit.SimId! : unit.Imsi!);
            }
        }

        limits = handlers.ToDictionary(h => h.HandlerId, _ => (long)random.Next(1, 2048), StringComparer.Ordinal);
        index = new HandlerIndex(handlers);
    }

    /// <summary>One usage record of a random IMSI: candidate lookup plus the threshold comparison of each candidate.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public int EvaluateUsageRecord()
    {
        var fired = 0;
        for (var r = 0; r < RecordsPerInvoke; r++)
        {
            var x = Next();
            var unit = units[(int)(x % SimCount)];
            var total = (long)((x >> 20) % (4UL * Thresholds.BytesPerMiB * 1024));
            foreach (var candidate in index.Candidates(DomainEventTypes.UsageRecorded, unit))
            {
                if (Thresholds.Exceeds(total, limits[candidate.HandlerId]))
                {
                    fired++;
                }
            }
        }

        return fired;
    }

    /// <summary>Building the index of 10,000 handlers (the server builds one per batch of events it evaluates).</summary>
    [Benchmark]
    public HandlerIndex BuildIndex() => new(handlers);

    private ulong Next()
    {
        // xorshift64*: cheap enough not to dominate, and the same sequence every run.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1DUL;
    }
}
