using Simlane.Server.Radius;

namespace Simlane.Server.Tests.Radius;

/// <summary>The Disconnect/CoA delivery settings of <c>Simlane:Radius</c>: defaults, and every out-of-range value refused at start-up by name.</summary>
public sealed class DynamicAuthorizationOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndGiveThreeTransmissionsFromOneSecond()
    {
        var options = new RadiusOptions();
        options.Validate();
        (options.DynamicAuthorizationDeadlineSeconds, options.DynamicAuthorizationInitialBackoffSeconds, options.DynamicAuthorizationMaxBackoffSeconds).ShouldBe((3600, 5, 300));
        var retry = options.AttemptRetry();
        (retry.InitialTimeout, retry.MaxTimeout, retry.MaxTransmissions).ShouldBe((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 3));
    }

    [Theory]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationDeadlineSeconds), 9)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationDeadlineSeconds), 604_801)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationTimeoutMilliseconds), 99)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationTimeoutMilliseconds), 30_001)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationTransmissions), 0)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationTransmissions), 11)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationInitialBackoffSeconds), 0)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationMaxBackoffSeconds), 4)]
    [InlineData(nameof(RadiusOptions.DynamicAuthorizationMaxBackoffSeconds), 86_401)]
    public void OutOfRange_IsRefused_NamingTheSetting(string setting, int value)
    {
        var options = new RadiusOptions();
        typeof(RadiusOptions).GetProperty(setting)!.SetValue(options, value);
        Should.Throw<InvalidOperationException>(options.Validate).Message.ShouldStartWith($"Simlane:Radius:{setting} must be between");
    }
}
