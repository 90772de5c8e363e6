namespace Simlane.Core.Sims;

/// <summary>
/// What the session admission rules read about a SIM and the subscription (IMSI) asking for a session, and the rules
/// themselves (<see cref="Decide"/>). <see cref="Sim.AdmitSession"/> applies them to a loaded SIM; a reader that only
/// decides (RADIUS Access-Request) can apply them to these few columns and needs the SIM itself only when
/// <see cref="Writes"/> says the decision changes something.
/// </summary>
public readonly record struct SessionAdmissionFacts(SimStatus Status, long? ExpiryTime, string? ImeiLock, string SpeedClass, bool IsPrimary, string? SecondaryStatus)
{
    public static SessionAdmissionFacts Of(Sim sim, Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(subscription);
        return new(sim.Status, sim.ExpiryTime, sim.ImeiLock, sim.SpeedClass, subscription.IsPrimary, subscription.SecondaryStatus);
    }

    /// <summary>
    /// The refusal reason (<see cref="SessionRefusals"/>), or null when a session for this subscription reporting
    /// <paramref name="imei"/> (15 digits, <c>…|ANONYMOUS</c> or null) is admitted at <paramref name="now"/>.
    /// "expired" means the expiry time has passed but the expiry has not been applied yet.
    /// </summary>
    public string? Decide(string? imei, long now)
    {
        switch (Status)
        {
            case SimStatus.Terminated:
                return SessionRefusals.Terminated;
            case SimStatus.Suspended:
                return SessionRefusals.Suspended;
            case SimStatus.Inactive:
                return SessionRefusals.Inactive;
        }

        if (!IsPrimary && SecondaryStatus is not ("ready" or "active"))
        {
            // A secondary subscription whose OTA has not finished (shipped, delivered) or that was terminated.
            return SecondaryStatus == "terminated" ? SessionRefusals.Terminated : SessionRefusals.Inactive;
        }

        if (ExpiryTime is { } due && due <= now)
        {
            return SessionRefusals.Expired;
        }

        return ImeiLock is { } imeiLock && !Imei.Satisfies(imeiLock, imei) ? SessionRefusals.ImeiMismatch : null;
    }

    /// <summary>
    /// Whether <see cref="Sim.AdmitSession"/> changes the SIM when the decision is <paramref name="refusal"/>: an IMEI
    /// mismatch records an event; an admission activates a ready or standby SIM and a ready secondary subscription.
    /// </summary>
    public bool Writes(string? refusal) =>
        refusal == SessionRefusals.ImeiMismatch
        || (refusal is null && (Status is SimStatus.Ready or SimStatus.Standby || (!IsPrimary && SecondaryStatus == "ready")));
}
