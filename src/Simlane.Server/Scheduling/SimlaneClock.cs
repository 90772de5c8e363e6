namespace Simlane.Server.Scheduling;

/// <summary>Where real time comes from: the system clock in production, a FakeTimeProvider in tests.</summary>
public sealed class ClockSource(TimeProvider inner)
{
    public TimeProvider Inner => inner;
}

/// <summary>
/// The server's clock: real time plus an offset that only the sandbox clock API moves, and only
/// forward. Everything in Simlane reads time through this (as <see cref="TimeProvider"/>).
/// </summary>
public sealed class SimlaneClock(ClockSource source) : TimeProvider
{
    private long offsetMs;

    public long OffsetMs => Interlocked.Read(ref offsetMs);

    public override DateTimeOffset GetUtcNow() => source.Inner.GetUtcNow().AddMilliseconds(OffsetMs);

    /// <summary>The source's time without the sandbox offset, in epoch ms.</summary>
    public long RealNowMs() => source.Inner.GetUtcNow().ToUnixTimeMilliseconds();

    public override long GetTimestamp() => source.Inner.GetTimestamp();

    public override long TimestampFrequency => source.Inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        source.Inner.CreateTimer(callback, state, dueTime, period);

    internal void SetOffset(long milliseconds) => Interlocked.Exchange(ref offsetMs, milliseconds);
}
