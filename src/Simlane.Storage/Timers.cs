namespace Simlane.Storage;

/// <summary>
/// A durable timer: a row that fires once at <see cref="DueTime"/>. The key is the idempotency key
/// (e.g. <c>sim-expiry:{simId}</c>): scheduling the same key again moves the timer instead of adding a
/// second one, and firing deletes the row in the same transaction as the timer's effect.
/// </summary>
public sealed class ScheduledTimer
{
    public required string Key { get; set; }

    /// <summary>Which handler fires it, e.g. <see cref="TimerKinds.SimExpiry"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>Epoch milliseconds (UTC) at or after which it fires.</summary>
    public long DueTime { get; set; }

    /// <summary>Handler-specific data (for a SIM expiry: the SIM ID).</summary>
    public required string Payload { get; set; }

    public long CreatedTime { get; set; }
}

public static class TimerKinds
{
    public const string SimExpiry = "sim-expiry";

    /// <summary>Re-evaluation of a fired (handler, unit) whose rule has a standing condition.</summary>
    public const string HandlerReArm = "handler-rearm";

    public static string HandlerReArmKey(string handlerId, int generation, string unitKey, long dueTime) =>
        $"{HandlerReArm}:{handlerId}:{generation}:{unitKey}:{dueTime}";

    public static string SimExpiryKey(string simId) => $"{SimExpiry}:{simId}";
}

/// <summary>Named persisted clock state: the sandbox clock's offset from real time.</summary>
public sealed class ClockState
{
    public required string Name { get; set; }

    public long OffsetMs { get; set; }
}
