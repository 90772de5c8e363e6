using System.Text.Json;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests;

/// <summary>Builds SIMs for the aggregate tests.</summary>
internal static class TestSims
{
    public const string OperatorId = "OP0012345678";
    public const string SimId = "8942310000000000001";
    public const string PrimaryImsi = "440100000000001";
    public const string SecondaryImsi = "295050000000001";
    public const long Created = 1_700_000_000_000;

    /// <summary>A registered SIM with a primary and a secondary subscription.</summary>
    public static Sim Create(
        string plan = Plans.Plan01s,
        SimStatus status = SimStatus.Ready,
        bool terminationEnabled = false,
        string? operatorId = OperatorId,
        bool secondary = true)
    {
        var p = Plans.Get(plan);
        var sim = new Sim
        {
            SimId = SimId,
            OperatorId = operatorId,
            Status = status,
            SpeedClass = p.DefaultSpeedClass,
            TerminationEnabled = terminationEnabled,
            Type = p.IsVirtual ? "virtual" : "uicc",
            ModuleType = p.IsVirtual ? "virtual" : "trio",
            CreatedTime = Created,
            LastModifiedTime = Created,
        };
        sim.Subscriptions.Add(new Subscription
        {
            Imsi = PrimaryImsi, SimId = SimId, Iccid = SimId, Plan = plan, IsPrimary = true, CreatedTime = Created,
        });
        if (secondary)
        {
            sim.Subscriptions.Add(new Subscription
            {
                Imsi = SecondaryImsi, SimId = SimId, Iccid = SimId, Plan = plan, IsPrimary = false,
                SecondaryStatus = "ready", CreatedTime = Created,
            });
        }

        sim.Tags.Add(new SimTag { SimId = SimId, Name = "name", Value = "device-1" });
        return sim;
    }

    /// <summary>Every piece of state of the SIM (properties, subscriptions, tags, pending rows) as one string.</summary>
    public static string Snapshot(Sim sim) => JsonSerializer.Serialize(sim);
}
