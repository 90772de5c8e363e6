namespace Simlane.Radius.Tests.Infrastructure;

/// <summary>The real clock for tests that talk to real peers over UDP (their timeouts are real).</summary>
public static class TestClock
{
#pragma warning disable RS0030 // Tests against external processes need real time; FakeTimeProvider covers the cache.
    public static TimeProvider Real => TimeProvider.System;
#pragma warning restore RS0030
}
