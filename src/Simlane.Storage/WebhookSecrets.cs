namespace Simlane.Storage;

/// <summary>
/// An operator's webhook signing secret (docs/actions.md, "Verifying signatures"): generated on first need,
/// replaced by <c>POST /v1/operators/{id}/webhook_secret</c>. Stored encrypted with ASP.NET Core Data
/// Protection (the keys live outside the database), never in clear.
/// </summary>
public sealed class WebhookSecret
{
    public required string OperatorId { get; set; }

    /// <summary>The secret, encrypted by <c>SecretProtector</c> with purpose <c>webhook-secret</c>.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>Epoch ms when this secret was generated (the last rotation).</summary>
    public long CreatedTime { get; set; }
}
