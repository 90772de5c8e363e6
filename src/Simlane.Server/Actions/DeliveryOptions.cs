using Simlane.Core.Actions;

namespace Simlane.Server.Actions;

/// <summary>
/// How actions are delivered: retries, leases and parallelism (configuration section <c>Simlane:Delivery</c>).
/// The retry settings are the limits of the one <see cref="DeliveryPolicy"/> (<see cref="ToPolicy"/>).
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Simlane:Delivery";

    /// <summary>How long a failing delivery is retried, counted from its first attempt, before it is dead. Default 24 h.</summary>
    public int RetryWindowMinutes { get; set; } = 1440;

    /// <summary>The first retry's delay; each further one doubles it (with jitter), up to <see cref="MaxBackoffSeconds"/>. Default 30 s.</summary>
    public int InitialBackoffSeconds { get; set; } = 30;

    /// <summary>The longest delay between two attempts. Default 1 h.</summary>
    public int MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>
    /// How long an attempt holds its delivery. A worker that dies mid-attempt (crash, kill -9) leaves the lease
    /// to lapse, and the delivery is attempted again after it. Must exceed the slowest executor's timeout. Default 120 s.
    /// </summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Attempts carried out at the same time. Default 8.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>The delivery policy with these retry settings.</summary>
    public DeliveryPolicy ToPolicy() => new(RetryWindowMinutes, InitialBackoffSeconds, MaxBackoffSeconds);

    public void Validate()
    {
        foreach (var (name, value, min, max) in ToPolicy().OutOfRange())
        {
            Check(value, min, max, name);
        }

        Check(LeaseSeconds, 1, 86400, nameof(LeaseSeconds));
        Check(Parallelism, 1, 256, nameof(Parallelism));
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new InvalidOperationException($"Simlane:Delivery:{name} must be between {min} and {max}, not {value}");
        }
    }
}
