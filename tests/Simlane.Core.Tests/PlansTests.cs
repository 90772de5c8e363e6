using Simlane.Core.Errors;
using Simlane.Core.Sims;

namespace Simlane.Core.Tests;

public class PlansTests
{
    // The subscription enum of the sandbox spec (POST /sandbox/init and /sandbox/orders).
    public static TheoryData<string> SandboxSpecPlans() =>
    [
        "plan01s", "plan01s-low_data_volume", "planP1", "planXM1", "planX3",
        "plan-D", "plan-K", "plan-KM1", "plan-DU", "plan-K2",
    ];

    [Theory]
    [MemberData(nameof(SandboxSpecPlans))]
    public void Find_SandboxSpecPlanName_IsKnown(string name)
    {
        var plan = Plans.Find(name).ShouldNotBeNull();

        plan.Name.ShouldBe(name);
        Plans.Get(name).ShouldBeSameAs(plan);
        plan.IsVirtual.ShouldBeFalse();
    }

    [Fact]
    public void All_StandbyUnsupported_ExactlyPlanDPlanKPlanDUAndVirtual()
    {
        Plans.All.Where(p => !p.SupportsStandby).Select(p => p.Name)
            .ShouldBe(["plan-D", "plan-K", "plan-DU", Plans.PlanArc01], ignoreOrder: true);
    }

    [Fact]
    public void All_Virtual_ExactlyPlanArc01()
    {
        Plans.All.Where(p => p.IsVirtual).Select(p => p.Name).ShouldBe([Plans.PlanArc01]);
    }

    [Fact]
    public void All_Names_AreUnique()
    {
        Plans.All.Select(p => p.Name).ShouldBeUnique();
    }

    [Theory]
    [InlineData("plan01s")]
    [InlineData("plan01s-low_data_volume")]
    [InlineData("planP1")]
    [InlineData("planXM1")]
    [InlineData("planX3")]
    [InlineData("plan-D")]
    [InlineData("plan-K")]
    [InlineData("plan-K2")]
    public void SpeedClasses_S1Plans_MinimumThrough4xFast(string name)
    {
        var plan = Plans.Get(name);

        plan.SpeedClasses.ShouldBe(["s1.minimum", "s1.slow", "s1.standard", "s1.fast", "s1.4xfast"], ignoreOrder: true);
        plan.DefaultSpeedClass.ShouldBe("s1.standard");
        plan.SpeedClassChangeable.ShouldBeTrue();
    }

    [Fact]
    public void SpeedClasses_PlanUs_AddsEightXFast() =>
        Plans.Get("plan-US").SpeedClasses.ShouldBe(["s1.minimum", "s1.slow", "s1.standard", "s1.fast", "s1.4xfast", "s1.8xfast"], ignoreOrder: true);

    [Fact]
    public void SpeedClasses_PlanDu_OnlyU1()
    {
        var plan = Plans.Get("plan-DU");

        plan.SpeedClasses.ShouldBe(["u1.standard", "u1.slow"], ignoreOrder: true);
        plan.DefaultSpeedClass.ShouldBe("u1.standard");
    }

    [Theory]
    [InlineData("plan-KM1", "t1.standard")]
    [InlineData("planArc01", "arc.standard")]
    public void SpeedClasses_FixedClassPlans_CannotChange(string name, string fixedClass)
    {
        var plan = Plans.Get(name);

        plan.SpeedClassChangeable.ShouldBeFalse();
        plan.SpeedClasses.ShouldBe([fixedClass]);
        plan.DefaultSpeedClass.ShouldBe(fixedClass);
    }

    [Fact]
    public void All_DefaultSpeedClass_IsOneOfThePlansClasses()
    {
        Plans.All.ShouldAllBe(p => p.SpeedClasses.Contains(p.DefaultSpeedClass));
    }

    [Theory]
    [InlineData("plan02s")]
    [InlineData("PLAN01S")]
    [InlineData("plan01s ")]
    [InlineData("")]
    public void Get_UnknownName_ThrowsUnknownSubscription(string name)
    {
        Plans.Find(name).ShouldBeNull();
        Should.Throw<SimlaneException>(() => Plans.Get(name)).Error.ShouldBe(ErrorCodes.UnknownSubscription);
    }

    [Fact]
    public void Find_Null_ReturnsNull() => Plans.Find(null).ShouldBeNull();
}
