using Simlane.Core.Billing;
using Simlane.Core.Sims;

namespace Simlane.Server.Billing;

/// <summary>
/// Billing settings, bound from <c>Simlane:Billing</c> (docs/billing.md). Prices given here override the
/// built-in <see cref="DefaultPrices"/> of the deployment's coverage, field by field; amounts are in the
/// coverage's currency (jp → JPY, g → USD).
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Simlane:Billing";

    /// <summary>How often "this month's charge" is recomputed; runs are aligned to multiples of it (UTC).</summary>
    public TimeSpan AggregationInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bounds of <see cref="AggregationChunkSims"/>.</summary>
    public const int MinAggregationChunkSims = 1, MaxAggregationChunkSims = 100_000;

    /// <summary>
    /// SIMs whose per-SIM-day rows an aggregation run computes and writes per transaction: bounds a run's memory and how long it
    /// holds the database's writer, whatever the fleet's size.
    /// </summary>
    public int AggregationChunkSims { get; set; } = 1_000;

    /// <summary>Per plan name (or <c>default</c> for plans without an entry of their own).</summary>
    public Dictionary<string, PlanPriceOptions> Plans { get; set; } = new(StringComparer.Ordinal);

    public void Validate()
    {
        if (AggregationInterval < TimeSpan.FromMinutes(1) || AggregationInterval > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"Simlane:Billing:AggregationInterval must be between 00:01:00 and 1.00:00:00, not {AggregationInterval}");
        }

        if (AggregationChunkSims is < MinAggregationChunkSims or > MaxAggregationChunkSims)
        {
            throw new InvalidOperationException(
                $"Simlane:Billing:AggregationChunkSims must be between {MinAggregationChunkSims} and {MaxAggregationChunkSims}, not {AggregationChunkSims.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        _ = BuildPriceTable("jp");
    }

    /// <summary>The built-in prices of <paramref name="coverage"/> with the configured ones laid over them.</summary>
    public PriceTable BuildPriceTable(string coverage)
    {
        var defaults = DefaultPrices.For(coverage);
        var plans = new Dictionary<string, PlanPrice>(defaults.Plans, StringComparer.Ordinal);
        foreach (var (name, configured) in Plans)
        {
            if (name != PriceTable.FallbackKey && Core.Sims.Plans.Find(name) is null)
            {
                throw new InvalidOperationException($"Simlane:Billing:Plans:{name}: unknown plan (use a plan name or '{PriceTable.FallbackKey}')");
            }

            var basis = defaults.For(name);
            var fees = new Dictionary<SimStatus, decimal>(basis.DailyFee);
            foreach (var (wire, fee) in configured.DailyFee)
            {
                if (!SimStatusNames.TryParse(wire, out var status) || status == SimStatus.Terminated)
                {
                    throw new InvalidOperationException($"Simlane:Billing:Plans:{name}:DailyFee:{wire}: use ready, active, inactive, standby or suspended (terminated is always free)");
                }

                fees[status] = NonNegative(fee, $"Plans:{name}:DailyFee:{wire}");
            }

            var data = new Dictionary<string, decimal>(basis.DataFeePerMiB, StringComparer.Ordinal);
            foreach (var (speedClass, price) in configured.DataFeePerMiB)
            {
                data[speedClass] = NonNegative(price, $"Plans:{name}:DataFeePerMiB:{speedClass}");
            }

            plans[name] = new PlanPrice(fees, data);
        }

        return new PriceTable(defaults.Currency, plans);
    }

    private static decimal NonNegative(decimal value, string key) =>
        value >= 0 ? value : throw new InvalidOperationException($"Simlane:Billing:{key} must not be negative");
}

/// <summary>One plan's configured prices; keys are status wire names and speed classes (or <c>default</c>).</summary>
public sealed class PlanPriceOptions
{
    public Dictionary<string, decimal> DailyFee { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, decimal> DataFeePerMiB { get; set; } = new(StringComparer.Ordinal);
}
