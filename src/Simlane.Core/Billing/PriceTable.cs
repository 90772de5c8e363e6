using Simlane.Core.Sims;

namespace Simlane.Core.Billing;

/// <summary>
/// The prices of one plan, in the deployment's currency: a basic fee per UTC day for each status the
/// SIM can be in (terminated is always free) and a data fee per MiB (1,048,576 bytes, upload plus
/// download) per speed class. <see cref="PriceTable.FallbackKey"/> in <see cref="DataFeePerMiB"/> prices
/// speed classes that are not listed; a status that is not listed costs nothing.
/// </summary>
public sealed record PlanPrice(IReadOnlyDictionary<SimStatus, decimal> DailyFee, IReadOnlyDictionary<string, decimal> DataFeePerMiB)
{
    public decimal DailyFeeFor(SimStatus status) =>
        status == SimStatus.Terminated ? 0m : DailyFee.GetValueOrDefault(status);

    public decimal DataFeeFor(string speedClass) =>
        DataFeePerMiB.TryGetValue(speedClass, out var price) ? price : DataFeePerMiB.GetValueOrDefault(PriceTable.FallbackKey);
}

/// <summary>
/// Every plan's prices in one currency, and the rounding rule of that currency: amounts are rounded to
/// whole yen (JPY) or to cents (USD), half away from zero.
/// </summary>
public sealed class PriceTable
{
    /// <summary>The plan entry used for plans without their own, and the data-fee entry for unlisted speed classes.</summary>
    public const string FallbackKey = "default";

    public const string Jpy = "JPY";
    public const string Usd = "USD";

    private readonly IReadOnlyDictionary<string, PlanPrice> plans;

    public PriceTable(string currency, IReadOnlyDictionary<string, PlanPrice> plans)
    {
        if (!plans.ContainsKey(FallbackKey))
        {
            throw new ArgumentException($"A price table needs a '{FallbackKey}' plan entry", nameof(plans));
        }

        Currency = currency;
        this.plans = plans;
    }

    /// <summary><c>JPY</c> or <c>USD</c>.</summary>
    public string Currency { get; }

    /// <summary>Decimal places an amount is rounded to: 0 for JPY, 2 for USD.</summary>
    public int Decimals => Currency == Jpy ? 0 : 2;

    public IReadOnlyDictionary<string, PlanPrice> Plans => plans;

    /// <summary>The coverage's currency (decisions.md row 14): <c>jp</c> → JPY, <c>g</c> → USD.</summary>
    public static string CurrencyOf(string coverage) => coverage switch
    {
        "jp" => Jpy,
        "g" => Usd,
        _ => throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "coverage must be 'jp' or 'g'"),
    };

    public PlanPrice For(string plan) => plans.TryGetValue(plan, out var price) ? price : plans[FallbackKey];

    /// <summary>The same amount without trailing zeros (a database may answer 14.0000 for 14).</summary>
    public static decimal Normalize(decimal amount) => amount / 1.0000000000000000000000000000m;

    /// <summary>Rounds to the currency's smallest unit, half away from zero.</summary>
    public decimal Round(decimal amount) => Math.Round(amount, Decimals, MidpointRounding.AwayFromZero);
}

/// <summary>
/// The prices Simlane charges when the configuration sets none. They follow the <em>orientation</em> of
/// SORACOM's published price lists (a daily basic fee while a SIM is usable, a reduced fee in standby and
/// suspended, nothing in ready, a per-MiB data fee that grows with the speed class) but are not SORACOM's
/// exact, current prices. See docs/billing.md.
/// </summary>
public static class DefaultPrices
{
    public static PriceTable For(string coverage) => new(PriceTable.CurrencyOf(coverage), coverage == "g" ? Global : Japan);

    /// <summary>Japan coverage, JPY.</summary>
    public static readonly IReadOnlyDictionary<string, PlanPrice> Japan = new Dictionary<string, PlanPrice>(StringComparer.Ordinal)
    {
        [PriceTable.FallbackKey] = new(
            Fees(ready: 0m, active: 11m, inactive: 11m, standby: 4m, suspended: 4m),
            new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                [SpeedClasses.S1Minimum] = 0.2m,
                [SpeedClasses.S1Slow] = 0.2m,
                [SpeedClasses.S1Standard] = 0.22m,
                [SpeedClasses.S1Fast] = 0.24m,
                [SpeedClasses.S1FourXFast] = 0.3m,
                [PriceTable.FallbackKey] = 0.22m,
            }),
        ["plan-D"] = new(
            Fees(ready: 3m, active: 10m, inactive: 10m, standby: 0m, suspended: 10m),
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [PriceTable.FallbackKey] = 0.2m }),
        ["plan-DU"] = new(
            Fees(ready: 0m, active: 15m, inactive: 15m, standby: 0m, suspended: 15m),
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [SpeedClasses.U1Slow] = 0.1m, [PriceTable.FallbackKey] = 0.2m }),
        [Plans.PlanArc01] = new(
            Fees(ready: 0m, active: 0m, inactive: 0m, standby: 0m, suspended: 0m),
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [PriceTable.FallbackKey] = 0m }),
    };

    /// <summary>Global coverage, USD.</summary>
    public static readonly IReadOnlyDictionary<string, PlanPrice> Global = new Dictionary<string, PlanPrice>(StringComparer.Ordinal)
    {
        [PriceTable.FallbackKey] = new(
            Fees(ready: 0m, active: 0.06m, inactive: 0.06m, standby: 0.02m, suspended: 0.02m),
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [PriceTable.FallbackKey] = 0.08m }),
        ["plan-US"] = new(
            Fees(ready: 0m, active: 0.1m, inactive: 0.1m, standby: 0.03m, suspended: 0.03m),
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [PriceTable.FallbackKey] = 0.05m }),
        [Plans.PlanArc01] = new(
            Fees(ready: 0m, active: 0m, inactive: 0m, standby: 0m, suspended: 0m),
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [PriceTable.FallbackKey] = 0m }),
    };

    private static Dictionary<SimStatus, decimal> Fees(decimal ready, decimal active, decimal inactive, decimal standby, decimal suspended) => new()
    {
        [SimStatus.Ready] = ready,
        [SimStatus.Active] = active,
        [SimStatus.Inactive] = inactive,
        [SimStatus.Standby] = standby,
        [SimStatus.Suspended] = suspended,
        [SimStatus.Terminated] = 0m,
    };
}
