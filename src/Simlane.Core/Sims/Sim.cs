using Simlane.Core.Errors;
using Simlane.Core.Events;

namespace Simlane.Core.Sims;

/// <summary>
/// A SIM and everything a client can change on it. Every mutating method validates first and only
/// then changes state, so a refused request leaves the SIM untouched; each change it makes is
/// appended to <see cref="PendingEvents"/> and <see cref="PendingHistory"/>, which the store writes
/// in the same transaction as the SIM itself.
/// </summary>
public sealed class Sim
{
    public required string SimId { get; set; }

    /// <summary>Owner. Null while the SIM sits in inventory waiting to be registered.</summary>
    public string? OperatorId { get; set; }

    public SimStatus Status { get; set; }

    public required string SpeedClass { get; set; }

    public string? GroupId { get; set; }

    /// <summary>
    /// When the SIM last joined or left a group (epoch ms). Lets usage that arrives late be counted for
    /// the group the SIM was in when the traffic happened, looking up the history only when needed.
    /// </summary>
    public long? GroupChangedTime { get; set; }

    /// <summary>False (the default) means termination protection is on.</summary>
    public bool TerminationEnabled { get; set; }

    public long? ExpiryTime { get; set; }

    public string? ExpiryAction { get; set; }

    public string? ImeiLock { get; set; }

    /// <summary><c>uicc</c>, <c>euicc</c> or <c>virtual</c>.</summary>
    public required string Type { get; set; }

    public required string ModuleType { get; set; }

    public string? SerialNumber { get; set; }

    /// <summary>Slow salted hash of the PUK/passcode that registration must present.</summary>
    public string? RegistrationSecretHash { get; set; }

    public long CreatedTime { get; set; }

    public long LastModifiedTime { get; set; }

    public long? RegisteredTime { get; set; }

    public long? RenewalFeeStatusSetTime { get; set; }

    /// <summary>Optimistic-concurrency token, bumped on every save.</summary>
    public long Version { get; set; }

    public List<Subscription> Subscriptions { get; set; } = [];

    public List<SimTag> Tags { get; set; } = [];

    /// <summary>Events raised by changes not yet saved.</summary>
    public List<DomainEvent> PendingEvents { get; } = [];

    /// <summary>Status-history rows raised by changes not yet saved.</summary>
    public List<StatusHistoryEntry> PendingHistory { get; } = [];

    public Subscription Primary => Subscriptions.First(s => s.IsPrimary);

    public Plan Plan => Plans.Get(Primary.Plan);

    public string? TagValue(string name) => Tags.FirstOrDefault(t => t.Name == name)?.Value;

    /// <summary>
    /// Moves the SIM to <paramref name="target"/> under the lifecycle table. Returns false for a
    /// same-status request (nothing recorded); throws for a refused one.
    /// </summary>
    public bool ChangeStatus(SimStatus target, long now)
    {
        var decision = SimLifecycle.Decide(Status, target, Plan, TerminationEnabled);
        if (decision.Error is { } error)
        {
            throw new SimlaneException(error, $"Cannot change status from {Status.ToWire()} to {target.ToWire()}: {error.Title}");
        }

        if (!decision.Changes)
        {
            return false;
        }

        ApplyStatus(target, now);
        return true;
    }

    /// <summary>
    /// Terminates regardless of termination protection: used only by an expiry whose action is
    /// <c>terminate</c>, which was accepted while protection was off (seed 000).
    /// </summary>
    public bool TerminateByExpiry(long now)
    {
        if (Status == SimStatus.Terminated)
        {
            return false;
        }

        ApplyStatus(SimStatus.Terminated, now);
        return true;
    }

    private void ApplyStatus(SimStatus target, long now)
    {
        var old = Status;
        Status = target;
        if (SimLifecycle.SetsRenewalFeeTime(target))
        {
            RenewalFeeStatusSetTime = now;
        }

        if (target == SimStatus.Terminated)
        {
            ExpiryTime = null;
            ExpiryAction = null;
        }

        Touch(now);
        Record(DomainEventTypes.StatusChanged, old.ToWire(), target.ToWire(), now);
        RecordHistory(now);
    }

    /// <summary>
    /// Sets the expiry. The time must be in the future; <c>terminate</c> is accepted only while
    /// termination protection is off, but once accepted it terminates even if protection is switched
    /// back on later (seed 000).
    /// </summary>
    public void SetExpiry(long expiryTime, string? action, long now)
    {
        EnsureChangeable();
        if (action is not null && !ExpiryActions.All.Contains(action))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"expiryAction: '{action}' is not one of {string.Join(", ", ExpiryActions.All)}");
        }

        if (expiryTime <= now)
        {
            throw new SimlaneException(ErrorCodes.ExpiryTimeInPast, $"expiryTime {expiryTime} is not after the current time {now}");
        }

        if (action == ExpiryActions.Terminate && !TerminationEnabled)
        {
            throw new SimlaneException(ErrorCodes.ExpiryTerminateProtected);
        }

        ExpiryTime = expiryTime;
        ExpiryAction = action;
        Touch(now);
    }

    public void UnsetExpiry(long now)
    {
        EnsureChangeable();
        if (ExpiryTime is null)
        {
            throw new SimlaneException(ErrorCodes.ExpiryNotSet);
        }

        ExpiryTime = null;
        ExpiryAction = null;
        Touch(now);
    }

    /// <summary>
    /// Applies the expiry if it is due: records <c>Expired</c> for the SIM and each IMSI, clears the
    /// expiry, then applies the action through the lifecycle (a status the lifecycle refuses, such as
    /// deactivating a virtual SIM, is skipped). Returns the action applied, or null when nothing was due.
    /// </summary>
    public string? Expire(long now)
    {
        if (ExpiryTime is not { } due || due > now || Status == SimStatus.Terminated)
        {
            return null;
        }

        var action = ExpiryAction ?? ExpiryActions.DoNothing;
        ExpiryTime = null;
        ExpiryAction = null;
        Touch(now);
        Record(DomainEventTypes.Expired, due.ToString(System.Globalization.CultureInfo.InvariantCulture), action, now);
        switch (action)
        {
            case ExpiryActions.Deactivate:
                TryChangeStatus(SimStatus.Inactive, now);
                break;
            case ExpiryActions.Suspend:
                TryChangeStatus(SimStatus.Suspended, now);
                break;
            case ExpiryActions.Terminate:
                TerminateByExpiry(now);
                break;
        }

        return action;
    }

    private void TryChangeStatus(SimStatus target, long now)
    {
        if (SimLifecycle.Decide(Status, target, Plan, TerminationEnabled) is { Changes: true, Error: null })
        {
            ApplyStatus(target, now);
        }
    }

    public void SetTerminationEnabled(bool enabled, long now)
    {
        EnsureChangeable();
        if (TerminationEnabled == enabled)
        {
            return;
        }

        TerminationEnabled = enabled;
        Touch(now);
        Record(DomainEventTypes.TerminationEnabledChanged, (!enabled).ToString().ToLowerInvariant(), enabled.ToString().ToLowerInvariant(), now);
    }

    public void UpdateSpeedClass(string speedClass, long now)
    {
        EnsureChangeable();
        var plan = Plan;
        if (!plan.SpeedClassChangeable || !plan.SpeedClasses.Contains(speedClass))
        {
            throw new SimlaneException(ErrorCodes.SpeedClassInvalid, $"speedClass: '{speedClass}' is not valid for {plan.Name}");
        }

        if (SpeedClass == speedClass)
        {
            return;
        }

        var old = SpeedClass;
        SpeedClass = speedClass;
        Touch(now);
        Record(DomainEventTypes.SpeedClassChanged, old, speedClass, now);
        RecordHistory(now);
    }

    /// <summary>Puts the SIM into a group (the caller has checked the group exists and is the same operator's).</summary>
    public void SetGroup(string groupId, long now)
    {
        EnsureChangeable();
        if (GroupId == groupId)
        {
            return;
        }

        var old = GroupId;
        GroupId = groupId;
        GroupChangedTime = now;
        Touch(now);
        Record(DomainEventTypes.GroupChanged, old, groupId, now);
        RecordHistory(now);
    }

    /// <summary>Removes the SIM from its group. Returns false when it was in none.</summary>
    public bool UnsetGroup(long now)
    {
        EnsureChangeable();
        if (GroupId is null)
        {
            return false;
        }

        var old = GroupId;
        GroupId = null;
        GroupChangedTime = now;
        Touch(now);
        Record(DomainEventTypes.GroupChanged, old, null, now);
        RecordHistory(now);
        return true;
    }

    public void SetImeiLock(string imeiLock, long now)
    {
        EnsureChangeable();
        Imei.ValidateLock(imeiLock);
        if (ImeiLock == imeiLock)
        {
            return;
        }

        var old = ImeiLock;
        ImeiLock = imeiLock;
        Touch(now);
        Record(DomainEventTypes.ImeiLockChanged, old, imeiLock, now);
    }

    public void UnsetImeiLock(long now)
    {
        EnsureChangeable();
        if (ImeiLock is null)
        {
            return;
        }

        var old = ImeiLock;
        ImeiLock = null;
        Touch(now);
        Record(DomainEventTypes.ImeiLockChanged, old, null, now);
    }

    /// <summary>Upserts tags: named tags get the new value, others are kept.</summary>
    public void PutTags(IReadOnlyList<KeyValuePair<string, string>> tags, long now)
    {
        EnsureChangeable();
        foreach (var (name, value) in tags)
        {
            var existing = Tags.FirstOrDefault(t => t.Name == name);
            if (existing is null)
            {
                Tags.Add(new SimTag { SimId = SimId, Name = name, Value = value });
            }
            else
            {
                existing.Value = value;
            }
        }

        Touch(now);
    }

    public void DeleteTag(string name, long now)
    {
        EnsureChangeable();
        var existing = Tags.FirstOrDefault(t => t.Name == name)
            ?? throw new SimlaneException(ErrorCodes.TagNotFound, $"No tag named '{name}'");
        Tags.Remove(existing);
        Touch(now);
    }

    /// <summary>Hands an inventory SIM to its operator.</summary>
    public void Register(string operatorId, long now)
    {
        if (OperatorId is not null)
        {
            throw new SimlaneException(ErrorCodes.AlreadyRegistered);
        }

        OperatorId = operatorId;
        RegisteredTime = now;
        Touch(now);
        Record(DomainEventTypes.Registered, null, operatorId, now);
    }

    /// <summary>
    /// Decides whether the packet gateway may establish a session for <paramref name="imsi"/> reporting
    /// <paramref name="imei"/>. Returns the refusal reason, or null when admitted; admitting moves a ready or
    /// standby SIM to active through the lifecycle. An IMEI-lock refusal records <c>ImeiMismatched</c>.
    /// "expired" means the expiry time has passed but the expiry has not been applied yet.
    /// </summary>
    public string? AdmitSession(string imsi, string? imei, long now)
    {
        var subscription = Subscriptions.Single(s => s.Imsi == imsi);
        var facts = SessionAdmissionFacts.Of(this, subscription);
        if (facts.Decide(imei, now) is { } refusal)
        {
            if (refusal == SessionRefusals.ImeiMismatch)
            {
                Record(DomainEventTypes.ImeiMismatched, ImeiLock, Imei.IsAnonymous(imei) ? null : imei, now);
            }

            return refusal;
        }

        if (Status is SimStatus.Ready or SimStatus.Standby)
        {
            ChangeStatus(SimStatus.Active, now);
        }

        if (!subscription.IsPrimary && subscription.SecondaryStatus == "ready")
        {
            subscription.SecondaryStatus = "active";
        }

        return null;
    }

    /// <summary>Records that a session was established (the session itself is stored by the caller).</summary>
    public void RecordSessionCreated(string sessionId, string? imei, long now) =>
        Record(DomainEventTypes.SessionCreated, sessionId, Imei.IsAnonymous(imei) ? null : imei, now);

    /// <summary>Records that the current session ended.</summary>
    public void RecordSessionDeleted(string sessionId, long now) =>
        Record(DomainEventTypes.SessionDeleted, sessionId, null, now);

    /// <summary>
    /// Adds a secondary subscription (a new IMSI, status <c>shipped</c> until OTA finishes) to the profile
    /// <paramref name="iccid"/>. Only multi-subscription physical SIMs accept one, each plan at most once.
    /// </summary>
    public Subscription AddSubscription(string iccid, string plan, string imsi, string? msisdn, long now)
    {
        EnsureChangeable();
        if (Subscriptions.All(s => s.Iccid != iccid))
        {
            throw new SimlaneException(ErrorCodes.ProfileNotFound, $"No profile '{iccid}' on SIM '{SimId}'");
        }

        if (!Plans.AddableSubscriptions.Contains(plan))
        {
            throw new SimlaneException(ErrorCodes.UnknownSubscription, $"subscription: '{plan}' is not one of {string.Join(", ", Plans.AddableSubscriptions)}");
        }

        if (Plan.IsVirtual || !Plans.MultiSubscriptionPrimaries.Contains(Primary.Plan))
        {
            throw new SimlaneException(ErrorCodes.SubscriptionIncompatible, $"A {Primary.Plan} SIM cannot carry additional subscriptions");
        }

        if (Subscriptions.Any(s => s.Plan == plan))
        {
            throw new SimlaneException(ErrorCodes.SubscriptionIncompatible, $"The SIM already has a {plan} subscription");
        }

        var subscription = new Subscription
        {
            Imsi = imsi, SimId = SimId, Iccid = iccid, Msisdn = msisdn, Plan = plan, IsPrimary = false,
            SecondaryStatus = "shipped", CreatedTime = now,
        };
        Subscriptions.Add(subscription);
        Touch(now);
        Record(DomainEventTypes.SubscriptionAdded, plan, imsi, now);
        return subscription;
    }

    /// <summary>
    /// OTA progress of a secondary subscription: <c>started</c> (back to shipped), <c>finished</c> (ready),
    /// <c>failed</c> (unchanged). Always records <c>OtaStatusChanged</c>.
    /// </summary>
    public Subscription ReportOta(string imsi, string otaStatus, long now)
    {
        EnsureChangeable();
        var subscription = Subscriptions.Single(s => s.Imsi == imsi);
        if (subscription.IsPrimary)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"imsi: '{imsi}' is the primary subscription, which has no OTA status");
        }

        switch (otaStatus)
        {
            case "started":
                subscription.SecondaryStatus = "shipped";
                break;
            case "finished":
                subscription.SecondaryStatus = "ready";
                break;
        }

        Touch(now);
        Record(DomainEventTypes.OtaStatusChanged, imsi, otaStatus, now);
        return subscription;
    }

    /// <summary>Refuses any change to a terminated SIM.</summary>
    public void EnsureChangeable()
    {
        if (Status == SimStatus.Terminated)
        {
            throw new SimlaneException(ErrorCodes.SimTerminated);
        }
    }

    private void Touch(long now) => LastModifiedTime = now;

    private void Record(string type, string? oldValue, string? newValue, long now)
    {
        if (OperatorId is null)
        {
            return;
        }

        PendingEvents.Add(new DomainEvent
        {
            OperatorId = OperatorId, SimId = SimId, Imsi = null, Type = type,
            OldValue = oldValue, NewValue = newValue, OccurredTime = now,
        });
        foreach (var subscription in Subscriptions)
        {
            PendingEvents.Add(new DomainEvent
            {
                OperatorId = OperatorId, SimId = SimId, Imsi = subscription.Imsi, Type = type,
                OldValue = oldValue, NewValue = newValue, OccurredTime = now,
            });
        }
    }

    private void RecordHistory(long now)
    {
        var primaryImsi = Primary.Imsi;
        foreach (var subscription in Subscriptions)
        {
            PendingHistory.Add(new StatusHistoryEntry
            {
                SimId = SimId,
                Imsi = subscription.Imsi,
                PrimaryImsi = primaryImsi,
                IsPrimary = subscription.IsPrimary,
                Status = subscription.IsPrimary ? Status.ToWire() : subscription.SecondaryStatus ?? Status.ToWire(),
                SpeedClass = SpeedClass,
                GroupId = GroupId,
                Subscription = subscription.Plan,
                Bundles = [.. subscription.Bundles],
                AppliedTime = now,
            });
        }
    }
}

/// <summary>Why the packet gateway must refuse a session.</summary>
public static class SessionRefusals
{
    public const string UnknownImsi = "unknown_imsi";
    public const string ImeiMismatch = "imei_mismatch";
    public const string Inactive = "inactive";
    public const string Suspended = "suspended";
    public const string Terminated = "terminated";
    public const string Expired = "expired";
}
