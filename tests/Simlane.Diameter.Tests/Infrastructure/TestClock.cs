namespace Simlane.Diameter.Tests.Infrastructure;

/// <summary>The real clock, for tests over real sockets whose timers are not under test (FakeTimeProvider covers those).</summary>
public static class TestClock
{
#pragma warning disable RS0030 // Real sockets, real time; the watchdog and timeouts are tested with FakeTimeProvider.
    public static TimeProvider Real => TimeProvider.System;
#pragma warning restore RS0030
}
