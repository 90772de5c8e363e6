namespace Simlane.Core.Sims;

/// <summary>
/// What happens when a SIM's expiry time passes (domain.md 3.4). A null action behaves like
/// <see cref="DoNothing"/>. Every action ends the expiry; the status actions go through the lifecycle.
/// </summary>
public static class ExpiryActions
{
    public const string DoNothing = "doNothing";
    public const string DeleteSession = "deleteSession";
    public const string Deactivate = "deactivate";
    public const string Suspend = "suspend";
    public const string Terminate = "terminate";

    public static readonly IReadOnlyList<string> All = [DoNothing, DeleteSession, Deactivate, Suspend, Terminate];
}
