namespace Simlane.Core.Sims;

/// <summary>
/// One row of a SIM's status operation history (status, speed class or group changed), per IMSI,
/// as <c>GET /sims/{id}/statuses/history</c> answers it.
/// </summary>
public sealed class StatusHistoryEntry
{
    public long Id { get; set; }

    public required string SimId { get; set; }

    public required string Imsi { get; set; }

    public required string PrimaryImsi { get; set; }

    public bool IsPrimary { get; set; }

    public required string Status { get; set; }

    public required string SpeedClass { get; set; }

    public string? GroupId { get; set; }

    public required string Subscription { get; set; }

    public List<string> Bundles { get; set; } = [];

    /// <summary>Epoch milliseconds; the API shows seconds.</summary>
    public long AppliedTime { get; set; }
}
