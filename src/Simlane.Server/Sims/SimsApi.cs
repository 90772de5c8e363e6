using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Security;
using Simlane.Core.Sims;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Sims;

/// <summary><c>/v1/sims</c>: get, create (virtual), register, status history.</summary>
public static class SimsApi
{
    public static void Map(RouteGroupBuilder sims)
    {
        sims.MapGet("/{sim_id}", async (string sim_id, SimAccess access) =>
                Results.Json(await access.SimViewAsync(await access.GetBySimIdAsync(sim_id)), Json.Options))
            .WithName("getSim").Produces<SimView>();
        sims.MapPost("/", CreateAsync).WithName("createSim").Accepts<CreateSimRequest>("application/json").Produces<SimView>(StatusCodes.Status201Created);
        sims.MapPost("/{sim_id}/register", async (string sim_id, HttpRequest request, Registration registration) =>
            {
                var sim = await registration.RegisterAsync(request, s => s.SimId == sim_id, ErrorCodes.SimNotFound, sim_id);
                return Results.Json(sim.ToSimView(SimSessions.None), Json.Options, statusCode: StatusCodes.Status201Created);
            })
            .WithName("registerSim").Accepts<RegisterRequest>("application/json").Produces<SimView>(StatusCodes.Status201Created);
        sims.MapGet("/{sim_id}/statuses/history", ListStatusHistoryAsync).WithName("listSimStatusHistory").Produces<StatusHistoryView[]>();
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SimInventory inventory, Caller caller, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<CreateSimRequest>(request);
        Require.OneOf(body.Type, "type", ["virtual"]);
        Require.OneOf(body.Subscription, "subscription", [Plans.PlanArc01]);
        var sim = await inventory.CreateVirtualAsync(caller.OperatorId, clock.NowMs());
        return Results.Json(sim.ToSimView(SimSessions.None), Json.Options, statusCode: StatusCodes.Status201Created);
    }

    public sealed record StatusHistoryView(
        string SimId, string Imsi, string PrimaryImsi, bool IsPrimary, string Status, string SpeedClass,
        string? GroupId, string Subscription, IReadOnlyList<string> Bundles, long ApplyDateTimeEpochSec);

    private static async Task<IResult> ListStatusHistoryAsync(
        string sim_id, HttpContext context, SimAccess access, TimeProvider clock)
    {
        var query = context.Request.Query;
        var from = QueryParams.TimeMs(query, "from");
        var to = QueryParams.TimeMs(query, "to") ?? clock.NowMs();
        var sort = QueryParams.Enum(query, "sort", ["desc", "asc"]) ?? "desc";
        var limit = QueryParams.Limit(query, defaultValue: 30, max: 100, clampAboveMax: false);
        var after = QueryParams.CursorLong(query);

        await access.GetBySimIdAsync(sim_id);
        var rows = access.Db.StatusHistory.AsNoTracking().Where(h => h.SimId == sim_id && h.AppliedTime <= to);
        if (from is not null)
        {
            rows = rows.Where(h => h.AppliedTime >= from);
        }

        rows = sort == "asc"
            ? (after is null ? rows : rows.Where(h => h.Id > after)).OrderBy(h => h.Id)
            : (after is null ? rows : rows.Where(h => h.Id < after)).OrderByDescending(h => h.Id);
        var page = await rows.Take(limit + 1).ToListAsync();
        var items = page.Take(limit).Select(h => new StatusHistoryView(
            h.SimId, h.Imsi, h.PrimaryImsi, h.IsPrimary, h.Status, h.SpeedClass, h.GroupId, h.Subscription, h.Bundles, h.AppliedTime / 1000)).ToList();
        Paging.SetNextKey(context, page.Count > limit ? page[limit - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        return Results.Json(items, Json.Options);
    }
}

/// <summary>Registration of an inventory SIM to the caller, shared by the SIM and subscriber routes.</summary>
public sealed class Registration(SimlaneDb db, Caller caller, SimAccess access, TimeProvider clock)
{
    public async Task<Sim> RegisterAsync(HttpRequest request, System.Linq.Expressions.Expression<Func<Sim, bool>> match, ErrorCode notFound, string id)
    {
        var body = await JsonBody.ReadAsync<RegisterRequest>(request);
        var secret = Require.NotEmpty(body.RegistrationSecret, "registrationSecret");
        var tags = TagRequests.FromTagSet(body.Tags, "tags");

        var sim = await db.Sims.Include(s => s.Subscriptions).Include(s => s.Tags).AsSplitQuery().Where(match).SingleOrDefaultAsync();

        // A SIM registered to another operator looks exactly like one that does not exist.
        if (sim is null || (sim.OperatorId is not null && sim.OperatorId != caller.OperatorId))
        {
            throw new SimlaneException(notFound, $"No such SIM or subscriber '{id}'");
        }

        if (sim.OperatorId is not null)
        {
            throw new SimlaneException(ErrorCodes.AlreadyRegistered);
        }

        if (!Secrets.VerifySecret(secret, sim.RegistrationSecretHash))
        {
            throw new SimlaneException(ErrorCodes.RegistrationFailed);
        }

        if (!string.IsNullOrEmpty(body.GroupId))
        {
            await access.EnsureGroupAsync(body.GroupId);
        }

        var now = clock.NowMs();
        sim.Register(caller.OperatorId, now);
        if (tags.Count > 0)
        {
            sim.PutTags(tags, now);
        }

        if (!string.IsNullOrEmpty(body.GroupId))
        {
            sim.SetGroup(body.GroupId, now);
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new SimlaneException(ErrorCodes.AlreadyRegistered);
        }
        catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            throw new SimlaneException(ErrorCodes.GroupNotFound, $"No group '{body.GroupId}'");
        }

        return sim;
    }
}
