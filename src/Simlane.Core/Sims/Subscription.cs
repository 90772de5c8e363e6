namespace Simlane.Core.Sims;

/// <summary>
/// One subscription (IMSI) on a SIM. The primary subscription's status is the SIM's status; a
/// secondary subscription has its own OTA status (shipped, delivered, ready, active, terminated).
/// </summary>
public sealed class Subscription
{
    public required string Imsi { get; set; }

    public required string SimId { get; set; }

    public required string Iccid { get; set; }

    public string? Msisdn { get; set; }

    /// <summary>The plan name, e.g. <c>plan01s</c>.</summary>
    public required string Plan { get; set; }

    public List<string> Bundles { get; set; } = [];

    public bool IsPrimary { get; set; }

    /// <summary>For secondary subscriptions only; the primary one reports the SIM status.</summary>
    public string? SecondaryStatus { get; set; }

    public long CreatedTime { get; set; }
}

/// <summary>One tag of a SIM. The <c>name</c> tag is the display name.</summary>
public sealed class SimTag
{
    public required string SimId { get; set; }

    public required string Name { get; set; }

    public required string Value { get; set; }
}
