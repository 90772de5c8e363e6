using Simlane.Core.Groups;
using Simlane.Core.Sims;
using Simlane.Storage;

namespace Simlane.Server.Sims;

/// <summary>The <c>Sim</c> schema: the SIM-centric view.</summary>
public sealed record SimView
{
    public required string SimId { get; init; }

    public string? OperatorId { get; init; }

    public required string Status { get; init; }

    public required string SpeedClass { get; init; }

    public string? GroupId { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public bool TerminationEnabled { get; init; }

    public long? ExpiryTime { get; init; }

    public string? ExpiryAction { get; init; }

    public ImeiLockView? ImeiLock { get; init; }

    public required SessionStatusView SessionStatus { get; init; }

    public PreviousSessionView? PreviousSession { get; init; }

    public long CreatedTime { get; init; }

    public long LastModifiedTime { get; init; }

    public long? RenewalFeeStatusSetTime { get; init; }

    public required string ActiveProfileId { get; init; }

    public required IReadOnlyDictionary<string, SimProfileView> Profiles { get; init; }

    public required string ModuleType { get; init; }

    public required string Type { get; init; }

    public string? SerialNumber { get; init; }

    public required CapabilitiesView Capabilities { get; init; }
}

public sealed record ImeiLockView(string Imei);

/// <summary>The <c>SessionStatus</c> schema: the current session, or just <c>online: false</c>.</summary>
public sealed record SessionStatusView
{
    public bool Online { get; init; }

    public string? Imsi { get; init; }

    public string? Imei { get; init; }

    public string? UeIpAddress { get; init; }

    public IReadOnlyList<string>? DnsServers { get; init; }

    public string? SessionId { get; init; }

    public string? Subscription { get; init; }

    public long? LastUpdatedAt { get; init; }

    public System.Text.Json.Nodes.JsonObject? Cell { get; init; }
}

/// <summary>The <c>PreviousSessionStatus</c> schema: the last ended session.</summary>
public sealed record PreviousSessionView
{
    public required string Imsi { get; init; }

    public string? Imei { get; init; }

    public string? UeIpAddress { get; init; }

    public required IReadOnlyList<string> DnsServers { get; init; }

    public required string SessionId { get; init; }

    public required string Subscription { get; init; }

    public System.Text.Json.Nodes.JsonObject? Cell { get; init; }

    public long CreatedTime { get; init; }

    public long DeletedTime { get; init; }
}

/// <summary>A SIM's current and previous session, loaded alongside it.</summary>
public sealed record SimSessions(SimSession? Current, SimSession? Previous)
{
    public static readonly SimSessions None = new(null, null);

    /// <summary>SORACOM's DNS servers, handed to every session.</summary>
    public static readonly IReadOnlyList<string> DnsServers = ["100.127.0.53", "100.127.1.53"];

    /// <summary>
    /// The current session as <c>SessionStatus</c>, for the whole SIM or (with <paramref name="onlyImsi"/>) one
    /// subscriber. Offline it is <c>{online: false, imsi}</c> with <paramref name="offlineImsi"/>.
    /// </summary>
    public SessionStatusView Status(string offlineImsi, string? onlyImsi = null) =>
        Current is { } c && (onlyImsi is null || c.Imsi == onlyImsi)
            ? new SessionStatusView
            {
                Online = true, Imsi = c.Imsi, Imei = Imei.IsAnonymous(c.Imei) ? null : c.Imei, UeIpAddress = c.UeIpAddress,
                DnsServers = DnsServers, SessionId = c.SessionId, Subscription = c.Subscription, LastUpdatedAt = c.LastUpdatedAt,
                Cell = Cell(c.CellJson),
            }
            : new SessionStatusView { Online = false, Imsi = offlineImsi };

    public PreviousSessionView? PreviousView(string? imsi = null) =>
        Previous is { DeletedTime: { } deleted } p && (imsi is null || p.Imsi == imsi)
            ? new PreviousSessionView
            {
                Imsi = p.Imsi, Imei = Imei.IsAnonymous(p.Imei) ? null : p.Imei, UeIpAddress = p.UeIpAddress, DnsServers = DnsServers,
                SessionId = p.SessionId, Subscription = p.Subscription, Cell = Cell(p.CellJson), CreatedTime = p.CreatedTime, DeletedTime = deleted,
            }
            : null;

    public static System.Text.Json.Nodes.JsonObject? Cell(string? json) =>
        json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject;

    public static SimSessions From(IEnumerable<SimSession> rows)
    {
        var list = rows.ToList();
        return new SimSessions(
            list.FirstOrDefault(s => s.DeletedTime is null),
            list.Where(s => s.DeletedTime is not null).OrderByDescending(s => s.DeletedTime).FirstOrDefault());
    }
}

public sealed record CapabilitiesView(bool Data, bool Sms);

public sealed record SimProfileView(string Iccid, bool OtaSupported, string PrimaryImsi, IReadOnlyDictionary<string, SimplifiedSubscriberView> Subscribers);

public sealed record SimplifiedSubscriberView(string Imsi, string? Msisdn, string Subscription, IReadOnlyList<string> Bundles, CapabilitiesView Capabilities, string Status);

/// <summary>The <c>Subscriber</c> schema: the IMSI-centric legacy view, with its duplicated legacy fields.</summary>
public sealed record SubscriberView
{
    public required string Imsi { get; init; }

    public string? Msisdn { get; init; }

    public required string Iccid { get; init; }

    public required string SimId { get; init; }

    public string? SerialNumber { get; init; }

    public string? OperatorId { get; init; }

    public required string Apn { get; init; }

    public required string Status { get; init; }

    public required string SpeedClass { get; init; }

    /// <summary>Legacy duplicate of <see cref="SpeedClass"/>.</summary>
    public required string Type { get; init; }

    public required string Subscription { get; init; }

    public required IReadOnlyList<string> Bundles { get; init; }

    public int Plan { get; init; }

    public string? GroupId { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public bool TerminationEnabled { get; init; }

    public ImeiLockView? ImeiLock { get; init; }

    public required SessionStatusView SessionStatus { get; init; }

    public PreviousSessionView? PreviousSession { get; init; }

    public long? ExpiryTime { get; init; }

    /// <summary>Legacy duplicate of <see cref="ExpiryTime"/>.</summary>
    public long? ExpiredAt { get; init; }

    public string? ExpiryAction { get; init; }

    public long CreatedTime { get; init; }

    public long CreatedAt { get; init; }

    public long LastModifiedTime { get; init; }

    public long LastModifiedAt { get; init; }

    public long? RegisteredTime { get; init; }

    public long? RenewalFeeStatusSetTime { get; init; }

    public string? ModuleType { get; init; }
}

public static class SimViews
{
    public const string Apn = "soracom.io";

    public static IReadOnlyDictionary<string, string> TagSet(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var set = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in tags)
        {
            set[name] = value;
        }

        set.TryAdd("name", "");
        return set;
    }

    public static SimView ToSimView(this Sim sim, SimSessions sessions)
    {
        var plan = sim.Plan;
        var primary = sim.Primary;
        var profiles = sim.Subscriptions
            .GroupBy(s => s.Iccid)
            .ToDictionary(
                g => g.Key,
                g => new SimProfileView(
                    g.Key,
                    false,
                    g.FirstOrDefault(s => s.IsPrimary)?.Imsi ?? g.First().Imsi,
                    g.ToDictionary(s => s.Imsi, s => ToSimplified(sim, s))));
        return new SimView
        {
            SimId = sim.SimId,
            OperatorId = sim.OperatorId,
            Status = sim.Status.ToWire(),
            SpeedClass = sim.SpeedClass,
            GroupId = sim.GroupId,
            Tags = TagSet(sim.Tags.Select(t => KeyValuePair.Create(t.Name, t.Value))),
            TerminationEnabled = sim.TerminationEnabled,
            ExpiryTime = sim.ExpiryTime,
            ExpiryAction = sim.ExpiryAction,
            ImeiLock = sim.ImeiLock is null ? null : new ImeiLockView(sim.ImeiLock),
            SessionStatus = sessions.Status(primary.Imsi),
            PreviousSession = sessions.PreviousView(),
            CreatedTime = sim.CreatedTime,
            LastModifiedTime = sim.LastModifiedTime,
            RenewalFeeStatusSetTime = sim.RenewalFeeStatusSetTime,
            ActiveProfileId = primary.Iccid,
            Profiles = profiles,
            ModuleType = sim.ModuleType,
            Type = sim.Type,
            SerialNumber = sim.SerialNumber,
            Capabilities = new CapabilitiesView(true, plan.Sms),
        };
    }

    public static SubscriberView ToSubscriberView(this Sim sim, Subscription subscription, SimSessions sessions)
    {
        var plan = Plans.Find(subscription.Plan) ?? sim.Plan;
        return new SubscriberView
        {
            Imsi = subscription.Imsi,
            Msisdn = subscription.Msisdn,
            Iccid = subscription.Iccid,
            SimId = sim.SimId,
            SerialNumber = sim.SerialNumber,
            OperatorId = sim.OperatorId,
            Apn = Apn,
            Status = sim.Status.ToWire(),
            SpeedClass = sim.SpeedClass,
            Type = sim.SpeedClass,
            Subscription = subscription.Plan,
            Bundles = subscription.Bundles,
            Plan = plan.Sms ? 1 : 0,
            GroupId = sim.GroupId,
            Tags = TagSet(sim.Tags.Select(t => KeyValuePair.Create(t.Name, t.Value))),
            TerminationEnabled = sim.TerminationEnabled,
            ImeiLock = sim.ImeiLock is null ? null : new ImeiLockView(sim.ImeiLock),
            SessionStatus = sessions.Status(subscription.Imsi, subscription.Imsi),
            PreviousSession = sessions.PreviousView(subscription.Imsi),
            ExpiryTime = sim.ExpiryTime,
            ExpiredAt = sim.ExpiryTime,
            ExpiryAction = sim.ExpiryAction,
            CreatedTime = subscription.CreatedTime,
            CreatedAt = subscription.CreatedTime,
            LastModifiedTime = sim.LastModifiedTime,
            LastModifiedAt = sim.LastModifiedTime,
            RegisteredTime = sim.RegisteredTime,
            RenewalFeeStatusSetTime = sim.RenewalFeeStatusSetTime,
            ModuleType = subscription.IsPrimary ? sim.ModuleType : null,
        };
    }

    public static SimProfileView ToProfileView(this Sim sim, string iccid)
    {
        var subscriptions = sim.Subscriptions.Where(s => s.Iccid == iccid).ToList();
        return new SimProfileView(
            iccid,
            false,
            subscriptions.FirstOrDefault(s => s.IsPrimary)?.Imsi ?? subscriptions[0].Imsi,
            subscriptions.ToDictionary(s => s.Imsi, s => ToSimplified(sim, s)));
    }

    private static SimplifiedSubscriberView ToSimplified(Sim sim, Subscription s) =>
        new(
            s.Imsi,
            s.Msisdn,
            s.Plan,
            s.Bundles,
            new CapabilitiesView(true, (Plans.Find(s.Plan) ?? sim.Plan).Sms),
            s.IsPrimary ? PrimarySubscriptionStatus(sim.Status) : s.SecondaryStatus ?? "ready");

    /// <summary>
    /// The primary subscription's status within SimplifiedSubscriber's enum (shipped, delivered, ready, active,
    /// terminated): a SIM that is inactive, standby or suspended still has its subscription in service, so it
    /// reads <c>active</c>; the SIM's own status is the Sim's <c>status</c> (decisions.md S8).
    /// </summary>
    internal static string PrimarySubscriptionStatus(SimStatus status) => status switch
    {
        SimStatus.Ready => "ready",
        SimStatus.Terminated => "terminated",
        _ => "active",
    };
}

/// <summary>The <c>Group</c> schema, nothing more: strict clients reject properties it does not name.</summary>
public sealed record GroupView(
    string GroupId,
    string OperatorId,
    IReadOnlyDictionary<string, string> Tags,
    System.Text.Json.Nodes.JsonObject Configuration,
    long CreatedTime,
    long LastModifiedTime)
{
    public static GroupView From(Group group) => new(
        group.GroupId,
        group.OperatorId,
        SimViews.TagSet(group.Tags.Select(t => KeyValuePair.Create(t.Name, t.Value))),
        group.ConfigurationObject(),
        group.CreatedTime,
        group.LastModifiedTime);
}
