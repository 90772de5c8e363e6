namespace Simlane.Server.Infrastructure;

/// <summary>
/// The one place that reads the system clock. Everything else receives <see cref="TimeProvider"/>
/// from dependency injection, so tests and sandbox mode can control time.
/// </summary>
public static class SystemClock
{
#pragma warning disable RS0030 // The composition root is the single allowed reader of the system clock.
    public static TimeProvider Instance => TimeProvider.System;
#pragma warning restore RS0030
}

public static class TimeProviderExtensions
{
    /// <summary>Now as epoch milliseconds, the unit of every stored time.</summary>
    public static long NowMs(this TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
