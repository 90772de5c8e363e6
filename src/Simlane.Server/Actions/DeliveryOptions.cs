namespace Simlane.Server.Actions;

/// <summary>How actions are delivered: retries, leases and parallelism (configuration section <c>Simlane:Delivery</c>).</summary>
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

    public void Validate()
    {
        Check(RetryWindowMinutes, 0, 525600, nameof(RetryWindowMinutes));
        Check(InitialBackoffSeconds, 1, 86400, nameof(InitialBackoffSeconds));
        Check(MaxBackoffSeconds, InitialBackoffSeconds, 86400, nameof(MaxBackoffSeconds));
        Check(LeaseSeconds, 1, 86400, nameof(LeaseSeconds));
        Check(Parallelism, 1, 256, nameof(Parallelism));
    }

    /// <summary>The delay before attempt <paramref name="attempts"/>+1: exponential with "equal jitter" (half fixed, half random).</summary>
    public TimeSpan Backoff(int attempts, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var full = Math.Min((double)MaxBackoffSeconds, InitialBackoffSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds((full / 2) + (full / 2 * random));
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new InvalidOperationException($"Simlane:Delivery:{name} must be between {min} and {max}, not {value}");
        }
    }
}
