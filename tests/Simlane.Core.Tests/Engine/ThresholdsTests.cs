using Simlane.Core.Engine;

namespace Simlane.Core.Tests.Engine;

public sealed class ThresholdsTests
{
    [Fact]
    public void ExactlyTheLimit_DoesNotExceed_OneByteMoreDoes()
    {
        Thresholds.Exceeds(1_048_576, 1).ShouldBeFalse();
        Thresholds.Exceeds(1_048_577, 1).ShouldBeTrue();
        Thresholds.Exceeds(100L * 1_048_576, 100).ShouldBeFalse();
        Thresholds.Exceeds((100L * 1_048_576) + 1, 100).ShouldBeTrue();
        Thresholds.Exceeds(0, 1).ShouldBeFalse();
    }

    [Fact]
    public void LargestLimit_Is64Bit()
    {
        Thresholds.LimitBytes(2_147_483_647).ShouldBe(2_251_799_812_636_672L);
        Thresholds.Exceeds(2_251_799_812_636_672L, 2_147_483_647).ShouldBeFalse();
        Thresholds.Exceeds(2_251_799_812_636_673L, 2_147_483_647).ShouldBeTrue();
        Thresholds.Exceeds(long.MaxValue, 2_147_483_647).ShouldBeTrue();
    }

    [Fact]
    public void LimitsOutsideTheRange_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Thresholds.LimitBytes(0));
        Should.Throw<ArgumentOutOfRangeException>(() => Thresholds.LimitBytes(2_147_483_648));
    }

    [Fact]
    public void Charge_IsStrictlyGreater_AndExact()
    {
        Thresholds.ChargeExceeds(1000m, 1000m).ShouldBeFalse();
        Thresholds.ChargeExceeds(1000.0001m, 1000m).ShouldBeTrue();
        Thresholds.ChargeExceeds(4.56m, 4.57m).ShouldBeFalse();
        Thresholds.ChargeExceeds(0.1m + 0.2m, 0.3m).ShouldBeFalse();
    }
}
