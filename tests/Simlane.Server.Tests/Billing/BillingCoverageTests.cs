using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;
using Simlane.Core.Billing;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Billing;

/// <summary>A global-coverage deployment bills in USD, rounded to cents; configured prices replace the defaults.</summary>
public abstract class BillingCoverageTests(DatabaseKind kind)
{
    [Fact]
    public async Task Bills_GlobalCoverageWithConfiguredPrices_UsdAmounts()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 0, 10, 0, TimeSpan.Zero));
        await using var factory = new SimlaneFactory(database.ConnectionString, clock);
        await using var configured = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Simlane:Coverage", "g");
            b.UseSetting("Simlane:Billing:Plans:plan01s:DailyFee:active", "0.125");
        });
        var op = await new ApiClient(configured.CreateDefaultClient(new ContractValidatingHandler())).SignUpAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/activate")).ShouldBe(HttpStatusCode.OK);

        var now = new DateTimeOffset(2027, 3, 3, 1, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        (await op.PostAsync("/v1/sandbox/clock", new { now })).ShouldBe(HttpStatusCode.OK);

        var latest = (await op.GetAsync("/v1/bills/latest")).ShouldBe(HttpStatusCode.OK);
        latest.Str("currency").ShouldBe("USD");
        latest.Str("lastEvaluatedTime").ShouldBe("20270303010000");
        decimal.Parse(latest.Json["amount"]!.ToJsonString(), CultureInfo.InvariantCulture).ShouldBe(3 * 0.13m); // round(0.125) = 0.13 per day

        var daily = (await op.GetAsync("/v1/bills/202703/daily")).ShouldBe(HttpStatusCode.OK).Json["billList"]!.AsArray();
        daily.Select(d => (d!["date"]!.GetValue<string>(), d["amount"]!.ToJsonString(), d["currency"]!.GetValue<string>()))
            .ShouldBe([("20270303", "0.13", "USD"), ("20270302", "0.13", "USD"), ("20270301", "0.13", "USD")]);
        PriceTable.CurrencyOf("g").ShouldBe("USD");
    }
}

public sealed class BillingCoverageTests_Sqlite() : BillingCoverageTests(DatabaseKind.Sqlite);

public sealed class BillingCoverageTests_Postgres() : BillingCoverageTests(DatabaseKind.Postgres);
