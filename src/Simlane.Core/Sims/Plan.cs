using Simlane.Core.Errors;

namespace Simlane.Core.Sims;

/// <summary>
/// A subscription (plan) and the rules it imposes on a SIM: which statuses it can take, which speed
/// classes it can switch between, whether it carries SMS. Plans are SORACOM's; see domain.md 3.1 and 3.6.
/// </summary>
public sealed record Plan(
    string Name,
    bool SupportsStandby,
    IReadOnlyList<string> SpeedClasses,
    string DefaultSpeedClass,
    bool Sms,
    bool IsVirtual,
    IReadOnlyList<string> Bundles)
{
    /// <summary>True when the speed class can be changed at all (plan-KM1 and virtual SIMs have one fixed class).</summary>
    public bool SpeedClassChangeable => SpeedClasses.Count > 1;
}

/// <summary>The plans Simlane knows. A SIM whose plan is not here cannot be created or imported.</summary>
public static class Plans
{
    private static readonly string[] S1 =
        [SpeedClasses.S1Minimum, SpeedClasses.S1Slow, SpeedClasses.S1Standard, SpeedClasses.S1Fast, SpeedClasses.S1FourXFast];

    private static readonly string[] S1Us = [.. S1, SpeedClasses.S1EightXFast];
    private static readonly string[] U1 = [SpeedClasses.U1Standard, SpeedClasses.U1Slow];

    public const string Plan01s = "plan01s";
    public const string PlanArc01 = "planArc01";

    public static readonly IReadOnlyList<Plan> All =
    [
        new(Plan01s, true, S1, SpeedClasses.S1Standard, true, false, []),
        new("plan01s-low_data_volume", true, S1, SpeedClasses.S1Standard, true, false, []),
        new("planP1", true, S1, SpeedClasses.S1Standard, true, false, []),
        new("planXM1", true, S1, SpeedClasses.S1Standard, true, false, []),
        new("planX1", true, S1, SpeedClasses.S1Standard, true, false, []),
        new("planX2", true, S1, SpeedClasses.S1Standard, true, false, []),
        new("planX3", true, S1, SpeedClasses.S1Standard, true, false, ["X3-5MB"]),
        new("plan-D", false, S1, SpeedClasses.S1Standard, false, false, ["D-500MB"]),
        new("plan-K", false, S1, SpeedClasses.S1Standard, false, false, []),
        new("plan-KM1", true, [SpeedClasses.T1Standard], SpeedClasses.T1Standard, true, false, []),
        new("plan-DU", false, U1, SpeedClasses.U1Standard, false, false, ["DU-10GB", "DU-50GB", "DU-100GB"]),
        new("plan-K2", true, S1, SpeedClasses.S1Standard, false, false, ["K2-500MB"]),
        new("plan-US", true, S1Us, SpeedClasses.S1Standard, true, false, []),
        new("plan-US-max", true, S1Us, SpeedClasses.S1Standard, true, false, []),
        new(PlanArc01, false, [SpeedClasses.ArcStandard], SpeedClasses.ArcStandard, false, true, []),
    ];

    /// <summary>The plans <c>add_subscription</c> offers (SORACOM's addSubscription enum).</summary>
    public static readonly IReadOnlyList<string> AddableSubscriptions = ["planP1", "planX1", "planX2", "planX3", "plan-US-max", PlanArc01];

    /// <summary>Primary plans whose SIMs can carry additional subscriptions (multi-IMSI physical SIMs).</summary>
    public static readonly IReadOnlyList<string> MultiSubscriptionPrimaries =
        [Plan01s, "plan01s-low_data_volume", "planP1", "planX1", "planX2", "planX3", "planXM1", "plan-US", "plan-US-max"];

    public static Plan? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    public static Plan Get(string name) =>
        Find(name) ?? throw new SimlaneException(ErrorCodes.UnknownSubscription, $"Unknown subscription '{name}'");
}
