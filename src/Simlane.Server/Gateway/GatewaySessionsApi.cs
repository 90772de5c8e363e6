using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Gateway;

/// <summary>
/// <c>/v1/gateway/sessions</c> and <c>/v1/gateway/ota</c>: session decisions and OTA progress; plus the
/// operator-facing session calls (<c>events/sessions</c>, <c>delete_session</c>) and <c>add_subscription</c>.
/// Ending a session because of a status, expiry or IMEI-lock change happens below, in the save hook
/// (<see cref="SessionLedger"/>), so every path that changes a SIM ends its session the same way.
/// </summary>
public static class GatewaySessionsApi
{
    private const int MaxPageSize = 100;

    private static readonly string[] RadioTypes = ["3G", "GSM", "LTE", "LTE-M", "NB-IoT"];
    private static readonly string[] OtaStatuses = ["started", "finished", "failed"];
    private static readonly string[] SubscriptionTypes = ["virtual", "cellular"];

    public static void Map(RouteGroupBuilder gateway, RouteGroupBuilder sims, RouteGroupBuilder subscribers)
    {
        gateway.MapPost("/sessions", CreateSessionAsync)
            .WithName("gatewayCreateSession").Accepts<GatewaySessionRequest>("application/json").Produces<GatewaySessionAnswer>()
            .WithSummary("Asks whether an IMSI may open a data session, and opens it (Simlane gateway API).")
            .WithDescription("Called by the packet gateway when a device attaches: answers whether the session is admitted (status, IMEI lock, "
                + "subscription) and, if so, records it as the SIM's current session. See docs/gateway.md.");
        gateway.MapDelete("/sessions/{sessionId}", DeleteSessionAsync)
            .WithName("gatewayDeleteSession").Produces(StatusCodes.Status204NoContent)
            .WithSummary("Ends a data session (Simlane gateway API).")
            .WithDescription("Records a Deleted session event; the session becomes the SIM's previousSession. A session that is unknown, "
                + "already ended or another operator's answers 404 SEM0020. See docs/gateway.md.");
        gateway.MapPost("/ota", ReportOtaAsync)
            .WithName("gatewayReportOta").Accepts<GatewayOtaRequest>("application/json").Produces<GatewayOtaAnswer>()
            .WithSummary("Reports the over-the-air provisioning of an added subscription (Simlane gateway API).")
            .WithDescription("A subscription added with addSubscription starts shipped; the gateway reports started, finished or failed "
                + "as the profile is provisioned. See docs/gateway.md.");

        sims.MapGet("/{sim_id}/events/sessions", async (string sim_id, HttpContext context, SimAccess access, TimeProvider clock) =>
            {
                await access.GetBySimIdAsync(sim_id);
                return await ListEventsAsync(context, access.Db, access.Db.SessionEventRows.Where(e => e.SimId == sim_id), clock);
            })
            .WithName("listSimSessionEvents").Produces<SessionEventView[]>();
        subscribers.MapGet("/{imsi}/events/sessions", async (string imsi, HttpContext context, SimAccess access, TimeProvider clock) =>
            {
                await access.GetByImsiAsync(imsi);
                return await ListEventsAsync(context, access.Db, access.Db.SessionEventRows.Where(e => e.Imsi == imsi), clock);
            })
            .WithName("listSessionEvents").Produces<SessionEventView[]>();

        sims.MapPost("/{sim_id}/delete_session", async (string sim_id, SimAccess access) =>
            {
                var changed = await access.ChangeBySimIdAsync(sim_id, (s, now) => EndCurrentAsync(access.Db, s, null, now));
                return Results.Json(await access.SimViewAsync(changed), Json.Options);
            })
            .WithName("deleteSimSession").Produces<SimView>();
        subscribers.MapPost("/{imsi}/delete_session", async (string imsi, SimAccess access) =>
            {
                var (sim, _) = await access.GetByImsiAsync(imsi);
                var changed = await access.ChangeBySimIdAsync(sim.SimId, (s, now) => EndCurrentAsync(access.Db, s, imsi, now));
                return Results.Json(await access.SubscriberViewAsync(changed, changed.Subscriptions.Single(x => x.Imsi == imsi)), Json.Options);
            })
            .WithName("deleteSubscriberSession").Produces<SubscriberView>();

        sims.MapPost("/{sim_id}/profiles/{iccid}/add_subscription", AddSubscriptionAsync)
            .WithName("addSubscription").Accepts<AddSubscriptionRequest>("application/json").Produces<SimProfileView>();
    }

    private static async Task<IResult> CreateSessionAsync(HttpRequest request, SimlaneDb db, GatewayCaller caller, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<GatewaySessionRequest>(request);
        var imsi = Require.NotEmpty(body.Imsi, "imsi");
        if (body.Imei is not null && !Imei.IsValid(body.Imei))
        {
            throw new SimlaneException(ErrorCodes.ImeiInvalid, $"imei: '{body.Imei}' is not 15 digits");
        }

        if (body.Apn is { } apn && (apn.Length == 0 || apn.Length > 100))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, "apn: must be 1 to 100 characters");
        }

        if (body.UeIpAddress is { } ip && !IPAddress.TryParse(ip, out _))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"ueIpAddress: '{ip}' is not an IP address");
        }

        var cellJson = body.Cell is null ? null : ValidateCell(body.Cell);
        var imei = Imei.IsAnonymous(body.Imei) ? null : body.Imei;

        return await RetryAsync(db, async () =>
        {
            var now = clock.NowMs();
            var decision = await SessionAdmission.DecideAsync(db, caller, imsi, imei, now, saveAdmitted: false);
            if (decision.Sim is not { } sim || decision.Refusal is not null)
            {
                return Refused(decision.Refusal ?? SessionRefusals.UnknownImsi);
            }

            // A new session for a SIM that already has one replaces it: the old one ends first.
            if (await SessionLedger.CurrentAsync(db, sim.SimId) is { } current)
            {
                await SessionLedger.EndAsync(db, sim, current, now);
            }

            var session = SessionLedger.Open(db, sim, imsi, imei, body.Apn, body.UeIpAddress, cellJson, now);
            await db.SaveChangesAsync();

            // 32-day retention: this SIM's older session events are pruned whenever it opens a session.
            var horizon = now - SessionEvents.RetentionMs;
            await db.SessionEventRows.Where(e => e.SimId == sim.SimId && e.Time < horizon).ExecuteDeleteAsync();
            return Results.Json(new GatewaySessionAnswer(true, session.SessionId, sim.SpeedClass, null), Json.Options);
        });
    }

    private static IResult Refused(string reason) => Results.Json(new GatewaySessionAnswer(false, null, null, reason), Json.Options);

    private static string ValidateCell(CellRequest cell)
    {
        if (cell.RadioType is not null)
        {
            Require.OneOf(cell.RadioType, "cell.radioType", RadioTypes);
        }

        foreach (var (name, value) in new (string, long?)[]
                 {
                     ("mcc", cell.Mcc), ("mnc", cell.Mnc), ("tac", cell.Tac), ("eci", cell.Eci), ("lac", cell.Lac),
                     ("ci", cell.Ci), ("rac", cell.Rac), ("sac", cell.Sac),
                 })
        {
            if (value is < 0)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"cell.{name}: must not be negative");
            }
        }

        return JsonSerializer.Serialize(cell, Json.Options);
    }

    private static async Task<IResult> DeleteSessionAsync(string sessionId, SimlaneDb db, GatewayCaller caller, TimeProvider clock) =>
        await RetryAsync(db, async () =>
        {
            var session = await db.Sessions.SingleOrDefaultAsync(s => s.SessionId == sessionId && s.DeletedTime == null);
            var sim = session is null
                ? null
                : await caller.Scope(db.Sims.Include(s => s.Subscriptions)).SingleOrDefaultAsync(s => s.SimId == session.SimId);
            if (session is null || sim is null)
            {
                throw new SimlaneException(ErrorCodes.SessionNotFound, $"No current session '{sessionId}'");
            }

            await SessionLedger.EndAsync(db, sim, session, clock.NowMs());
            await db.SaveChangesAsync();
            return Results.NoContent();
        });

    private static async Task<IResult> ReportOtaAsync(HttpRequest request, SimlaneDb db, GatewayCaller caller, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<GatewayOtaRequest>(request);
        var simId = Require.NotEmpty(body.SimId, "simId");
        var imsi = Require.NotEmpty(body.Imsi, "imsi");
        var otaStatus = Require.OneOf(body.OtaStatus, "otaStatus", OtaStatuses);
        return await RetryAsync(db, async () =>
        {
            var sim = await caller.Scope(db.Sims.Include(s => s.Subscriptions)).SingleOrDefaultAsync(s => s.SimId == simId)
                ?? throw new SimlaneException(ErrorCodes.SimNotFound, $"No SIM '{simId}'");
            if (sim.Subscriptions.All(s => s.Imsi != imsi))
            {
                throw new SimlaneException(ErrorCodes.SubscriberNotFound, $"No subscriber '{imsi}' on SIM '{simId}'");
            }

            var subscription = sim.ReportOta(imsi, otaStatus, clock.NowMs());
            await db.SaveChangesAsync();
            return Results.Json(new GatewayOtaAnswer(sim.SimId, imsi, otaStatus, subscription.SecondaryStatus ?? "ready"), Json.Options);
        });
    }

    private static async Task EndCurrentAsync(SimlaneDb db, Sim sim, string? imsi, long now)
    {
        var current = await SessionLedger.CurrentAsync(db, sim.SimId);
        if (current is null || (imsi is not null && current.Imsi != imsi))
        {
            throw new SimlaneException(ErrorCodes.SubscriberOffline);
        }

        await SessionLedger.EndAsync(db, sim, current, now);
    }

    private static async Task<IResult> AddSubscriptionAsync(string sim_id, string iccid, HttpRequest request, SimAccess access, SimInventory inventory)
    {
        var body = await JsonBody.ReadAsync<AddSubscriptionRequest>(request);
        var plan = Require.NotEmpty(body.Subscription, "subscription");
        if (body.Type is not null)
        {
            var type = Require.OneOf(body.Type, "type", SubscriptionTypes);
            if (type != (plan == Plans.PlanArc01 ? "virtual" : "cellular"))
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"type: '{type}' does not match subscription '{plan}'");
            }
        }

        var (_, imsi, msisdn) = await inventory.NewIdentifiersAsync();
        var changed = await access.ChangeBySimIdAsync(sim_id, (s, now) =>
        {
            s.AddSubscription(iccid, plan, imsi, msisdn, now);
            return Task.CompletedTask;
        });
        return Results.Json(changed.ToProfileView(iccid), Json.Options);
    }

    private static async Task<IResult> ListEventsAsync(HttpContext context, SimlaneDb db, IQueryable<SessionEventRow> rows, TimeProvider clock)
    {
        var query = context.Request.Query;
        var now = clock.NowMs();
        var from = Math.Max(QueryParams.TimeMs(query, "from") ?? 0, now - SessionEvents.RetentionMs);
        var to = QueryParams.TimeMs(query, "to") ?? long.MaxValue;
        var limit = QueryParams.Limit(query, defaultValue: MaxPageSize, max: MaxPageSize, clampAboveMax: true);
        var after = QueryParams.CursorLong(query);

        rows = rows.AsNoTracking().Where(e => e.Time >= from && e.Time <= to);
        if (after is not null)
        {
            rows = rows.Where(e => e.Id < after);
        }

        var page = await rows.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(context.RequestAborted);
        Paging.SetNextKey(context, page.Count > limit ? page[limit - 1].Id.ToString(CultureInfo.InvariantCulture) : null);
        var events = page.Take(limit).ToList();
        var requests = await DynamicAuthorizationView.ForEventsAsync(db, events, context.RequestAborted);
        return Results.Json(events.Select(e => SessionEventView.From(e) with { DynamicAuthorization = DynamicAuthorizationView.Of(e, requests) }).ToList(), Json.Options);
    }

    private static Task<IResult> RetryAsync(SimlaneDb db, Func<Task<IResult>> attempt) => SessionAdmission.RetryAsync(db, attempt);
}

public sealed class GatewaySessionRequest
{
    public string? Imsi { get; set; }

    public string? Imei { get; set; }

    public string? Apn { get; set; }

    public string? UeIpAddress { get; set; }

    public CellRequest? Cell { get; set; }
}

/// <summary>The <c>Cell</c> schema (radio type and cell identifiers as integers).</summary>
public sealed class CellRequest
{
    public string? RadioType { get; set; }

    public long? Mcc { get; set; }

    public long? Mnc { get; set; }

    public long? Tac { get; set; }

    public long? Eci { get; set; }

    public long? Lac { get; set; }

    public long? Ci { get; set; }

    public long? Rac { get; set; }

    public long? Sac { get; set; }
}

public sealed record GatewaySessionAnswer(bool Accepted, string? SessionId, string? SpeedClass, string? Reason);

public sealed class GatewayOtaRequest
{
    public string? SimId { get; set; }

    public string? Imsi { get; set; }

    public string? OtaStatus { get; set; }
}

/// <summary>The OTA report as recorded: the subscription's status after it.</summary>
public sealed record GatewayOtaAnswer(string SimId, string Imsi, string OtaStatus, string Status);

public sealed class AddSubscriptionRequest
{
    public string? Subscription { get; set; }

    public string? Type { get; set; }
}

/// <summary>The <c>SessionEvent</c> schema.</summary>
public sealed record SessionEventView
{
    public long Time { get; init; }

    public required string CreatedTime { get; init; }

    public required string Event { get; init; }

    public required string Imsi { get; init; }

    public required string SimId { get; init; }

    public required string OperatorId { get; init; }

    public required string SessionId { get; init; }

    public string? Imei { get; init; }

    public string? Apn { get; init; }

    public string? UeIpAddress { get; init; }

    public string? Dns0 { get; init; }

    public string? Dns1 { get; init; }

    public JsonObject? Cell { get; init; }

    public required string Subscription { get; init; }

    /// <summary>
    /// Simlane extension (docs/radius.md, docs/diameter.md): the Disconnect-Request or Re-Auth-Request (on Deleted) or CoA-Request
    /// (on Modified) Simlane owed the network element for this RADIUS or Diameter Gy session event.
    /// </summary>
    public DynamicAuthorizationView? DynamicAuthorization { get; init; }

    public static SessionEventView From(SessionEventRow row) => new()
    {
        Time = row.Time,
        CreatedTime = DateTimeOffset.FromUnixTimeMilliseconds(row.Time).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        Event = row.Event,
        Imsi = row.Imsi,
        SimId = row.SimId,
        OperatorId = row.OperatorId,
        SessionId = row.SessionId,
        Imei = row.Imei,
        Apn = row.Apn,
        UeIpAddress = row.UeIpAddress,
        Dns0 = SimSessions.DnsServers[0],
        Dns1 = SimSessions.DnsServers[1],
        Cell = SimSessions.Cell(row.CellJson),
        Subscription = row.Subscription,
    };
}

/// <summary>
/// Simlane extension of <c>SessionEvent</c>: where the request staged with this event stands (docs/radius.md,
/// "Dynamic authorization"; docs/diameter.md, "Enforcement"). A Deleted event shows its session's Disconnect-Request
/// (RADIUS) or Re-Auth-Request (Diameter Gy), a Modified event the CoA-Request staged at the same instant.
/// </summary>
public sealed record DynamicAuthorizationView
{
    /// <summary><c>Disconnect</c>, <c>CoA</c> or <c>ReAuth</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>pending</c>, <c>acked</c>, <c>nak</c>, <c>failed</c> or <c>superseded</c>.</summary>
    public required string State { get; init; }

    public int Attempts { get; init; }

    /// <summary>CoA only: the speed class whose rates the request carries.</summary>
    public string? SpeedClass { get; init; }

    /// <summary>The NAK's Error-Cause (RFC 5176 3.5), e.g. 503; for a Re-Auth, the answer's Result-Code when not success, e.g. 5002.</summary>
    public int? ErrorCause { get; init; }

    /// <summary>The Error-Cause's name, e.g. <c>Session-Context-Not-Found</c>; for a Re-Auth the Result-Code's, e.g. <c>DIAMETER_UNKNOWN_SESSION_ID</c>.</summary>
    public string? ErrorCauseName { get; init; }

    public string? LastError { get; init; }

    /// <summary>Epoch ms: when the request was staged, its next attempt (pending only), and when it finished.</summary>
    public long CreatedTime { get; init; }

    public long? NextAttemptTime { get; init; }

    public long? CompletedTime { get; init; }

    /// <summary>Epoch ms after which a request that got no answer is failed.</summary>
    public long Deadline { get; init; }

    internal static async Task<List<NasRequest>> ForEventsAsync(SimlaneDb db, IReadOnlyList<SessionEventRow> events, CancellationToken cancellationToken)
    {
        var sessionIds = events.Where(e => e.Event != SessionEvents.Created).Select(e => e.SessionId).Distinct().ToList();
        return sessionIds.Count == 0 ? [] : await db.NasRequests.AsNoTracking().Where(r => sessionIds.Contains(r.SessionId)).ToListAsync(cancellationToken);
    }

    internal static DynamicAuthorizationView? Of(SessionEventRow row, IReadOnlyList<NasRequest> requests)
    {
        var request = row.Event switch
        {
            SessionEvents.Deleted => requests.Where(r => r.SessionId == row.SessionId && r.Kind is NasRequestKinds.Disconnect or NasRequestKinds.ReAuth).MaxBy(r => r.Id),
            SessionEvents.Modified => requests.Where(r => r.SessionId == row.SessionId && r.Kind == NasRequestKinds.CoA && r.CreatedTime == row.Time).MaxBy(r => r.Id),
            _ => null,
        };
        return request is null ? null : new DynamicAuthorizationView
        {
            Type = request.Kind,
            State = request.State,
            Attempts = request.Attempts,
            SpeedClass = request.SpeedClass,
            ErrorCause = request.ErrorCause,
            ErrorCauseName = request.ErrorCause is not int cause ? null
                : request.Kind == NasRequestKinds.ReAuth ? Simlane.Diameter.Codec.DiameterResultCodeNames.Name((uint)cause)
                : Simlane.Radius.Codec.RadiusAttributes.ErrorCause.Values.FirstOrDefault(v => v.Value == (uint)cause).Key ?? cause.ToString(CultureInfo.InvariantCulture),
            LastError = request.LastError,
            CreatedTime = request.CreatedTime,
            NextAttemptTime = request.State == NasRequestStates.Pending ? request.NextAttemptTime : null,
            CompletedTime = request.CompletedTime,
            Deadline = request.Deadline,
        };
    }
}
