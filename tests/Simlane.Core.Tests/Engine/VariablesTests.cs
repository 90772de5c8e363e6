using Simlane.Core.Engine;

namespace Simlane.Core.Tests.Engine;

public sealed class VariablesTests
{
    private static readonly VariableContext Context = new()
    {
        Imsi = "440103000000001",
        SimId = "8981100000000000001",
        OperatorId = "OP0012345678",
        MatchTime = new DateTimeOffset(2027, 1, 5, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = "pump-7", ["loop"] = "${imsi}", ["empty"] = "" },
        Coverage = "jp",
        OldStatus = "active",
        NewStatus = "inactive",
        OldSpeedClass = "s1.fast",
        NewSpeedClass = "s1.minimum",
        Subscription = "planX3",
        OtaStatus = "finished",
        PrimaryImsi = "295050000000001",
        SessionStatus = "Created",
        Imei = "",
    };

    [Theory]
    [InlineData("${imsi}", "440103000000001")]
    [InlineData("${simId}/${operatorId}", "8981100000000000001/OP0012345678")]
    [InlineData("on ${date}", "on 2027/1/5")]
    [InlineData("${year}-${month}-${day}", "2027-1-5")]
    [InlineData("${tags.name} ${coverage}", "pump-7 jp")]
    [InlineData("${oldStatus}->${newStatus}", "active->inactive")]
    [InlineData("${oldSpeedClass}->${newSpeedClass}", "s1.fast->s1.minimum")]
    [InlineData("${subscription} ${otaStatus} ${primaryImsi}", "planX3 finished 295050000000001")]
    [InlineData("${sessionStatus}[${imei}]", "Created[]")]
    [InlineData("[${tags.empty}]", "[]")]
    public void KnownVariables_Expand(string template, string expected) =>
        Variables.Expand(template, Context).ShouldBe(expected);

    [Theory]
    [InlineData("no variables")]
    [InlineData("${unknown}")]
    [InlineData("${IMSI}")]
    [InlineData("${tags.missing}")]
    [InlineData("${}")]
    [InlineData("$imsi {imsi}")]
    [InlineData("${imsi")]
    [InlineData("")]
    public void UnknownOrMalformed_LeftExactlyAsWritten(string template) =>
        Variables.Expand(template, Context).ShouldBe(template.Replace("${imsi}", "440103000000001", StringComparison.Ordinal));

    [Fact]
    public void SubstitutedValues_AreNotExpandedAgain() =>
        Variables.Expand("${tags.loop}", Context).ShouldBe("${imsi}");

    [Fact]
    public void NestedStart_ExpandsTheInnerVariable_KeepsTheOuterText()
    {
        Variables.Expand("${a${imsi}}", Context).ShouldBe("${a440103000000001}");
        Variables.Expand("$${imsi}}", Context).ShouldBe("$440103000000001}");
        Variables.Expand("${imsi", Context).ShouldBe("${imsi");
    }

    [Fact]
    public void VariablesNotAvailableForTheFiring_AreLeftAsWritten()
    {
        var bare = new VariableContext { Imsi = "001" };
        Variables.Expand("${imsi} ${oldStatus} ${date} ${tags.name}", bare).ShouldBe("001 ${oldStatus} ${date} ${tags.name}");
    }

    [Fact]
    public void Dates_AreUtcAndNotPadded()
    {
        var context = new VariableContext { MatchTime = new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() - 1 };
        Variables.Expand("${date}", context).ShouldBe("2028/2/28");
        Variables.Expand("${date}", context with { MatchTime = context.MatchTime + 1 }).ShouldBe("2028/2/29");
    }
}
