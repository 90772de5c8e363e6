using Microsoft.Extensions.Configuration;
using Simlane.Core.Sims;
using Simlane.Server.Billing;
using Simlane.Server.Scheduling;

namespace Simlane.Server.Tests.Billing;

/// <summary>The Simlane:Billing configuration section: defaults, overrides, validation.</summary>
public sealed class BillingOptionsTests
{
    private static BillingOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new BillingOptions();
        configuration.GetSection(BillingOptions.Section).Bind(options);
        return options;
    }

    [Fact]
    public void Bind_NothingConfigured_HourlyAndDefaultPricesOfTheCoverage()
    {
        var options = Bind([]);

        options.AggregationInterval.ShouldBe(TimeSpan.FromHours(1));
        options.AggregationChunkSims.ShouldBe(1_000);
        var jp = options.BuildPriceTable("jp");
        jp.Currency.ShouldBe("JPY");
        jp.For(Plans.Plan01s).DailyFeeFor(SimStatus.Active).ShouldBe(11m);
        var g = options.BuildPriceTable("g");
        g.Currency.ShouldBe("USD");
        g.For(Plans.Plan01s).DailyFeeFor(SimStatus.Active).ShouldBe(0.06m);
    }

    [Fact]
    public void Bind_PlanOverrides_ReplaceOnlyTheGivenFields()
    {
        var options = Bind(new()
        {
            ["Simlane:Billing:AggregationInterval"] = "00:15:00",
            ["Simlane:Billing:AggregationChunkSims"] = "250",
            ["Simlane:Billing:Plans:plan01s:DailyFee:active"] = "12.5",
            ["Simlane:Billing:Plans:plan01s:DataFeePerMiB:s1.fast"] = "0.5",
            ["Simlane:Billing:Plans:default:DailyFee:suspended"] = "1",
        });
        options.Validate();

        options.AggregationInterval.ShouldBe(TimeSpan.FromMinutes(15));
        options.AggregationChunkSims.ShouldBe(250);
        var table = options.BuildPriceTable("jp");
        var plan01s = table.For(Plans.Plan01s);
        plan01s.DailyFeeFor(SimStatus.Active).ShouldBe(12.5m);
        plan01s.DailyFeeFor(SimStatus.Inactive).ShouldBe(11m);
        plan01s.DataFeeFor(SpeedClasses.S1Fast).ShouldBe(0.5m);
        plan01s.DataFeeFor(SpeedClasses.S1Standard).ShouldBe(0.22m);
        table.For("planX3").DailyFeeFor(SimStatus.Suspended).ShouldBe(1m);
        table.For("plan-D").DailyFeeFor(SimStatus.Active).ShouldBe(10m);
    }

    [Theory]
    [InlineData("Simlane:Billing:Plans:plan-nope:DailyFee:active", "1")]
    [InlineData("Simlane:Billing:Plans:plan01s:DailyFee:terminated", "1")]
    [InlineData("Simlane:Billing:Plans:plan01s:DailyFee:sleeping", "1")]
    [InlineData("Simlane:Billing:Plans:plan01s:DailyFee:active", "-1")]
    [InlineData("Simlane:Billing:Plans:plan01s:DataFeePerMiB:s1.fast", "-0.1")]
    [InlineData("Simlane:Billing:AggregationInterval", "00:00:10")]
    [InlineData("Simlane:Billing:AggregationInterval", "2.00:00:00")]
    [InlineData("Simlane:Billing:AggregationChunkSims", "0")]
    [InlineData("Simlane:Billing:AggregationChunkSims", "100001")]
    public void Validate_BadSetting_Throws(string key, string value) =>
        Should.Throw<InvalidOperationException>(() => Bind(new() { [key] = value }).Validate());

    [Fact]
    public void NextRun_AlignedToTheIntervalAndAlwaysLater()
    {
        var hour = TimeSpan.FromHours(1);
        BillingAggregationHandler.NextRun(3_600_000, hour).ShouldBe(7_200_000);
        BillingAggregationHandler.NextRun(3_599_999, hour).ShouldBe(3_600_000);
        BillingAggregationHandler.NextRun(3_600_001, TimeSpan.FromMinutes(15)).ShouldBe(4_500_000);
        typeof(ITimerHandler).IsAssignableFrom(typeof(BillingAggregationHandler)).ShouldBeTrue();
    }
}
