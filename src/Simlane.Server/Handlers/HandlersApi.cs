using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Actions;
using Simlane.Core.Errors;
using Simlane.Core.Handlers;
using Simlane.Server.Usage;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Handlers;

/// <summary><c>/v1/event_handlers</c> (docs/api.md, "Event handlers").</summary>
public static class HandlersApi
{
    public const int MaxPageSize = 100;

    private static readonly string[] TargetFilters = ["operator", "imsi", "sim", "group"];

    public static void Map(RouteGroupBuilder handlers)
    {
        handlers.MapGet("/", ListAsync).WithName("listEventHandlers").Produces<JsonArray>();
        handlers.MapPost("/", CreateAsync).WithName("createEventHandler").Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created);
        handlers.MapPost("/dry_run", DryRunAsync).WithName("dryRunEventHandler").Accepts<JsonObject>("application/json").Produces<JsonObject>().ReadsFoldedUsage();
        handlers.MapGet("/{handler_id}", async (string handler_id, HandlerAccess access) =>
                Results.Json(HandlerViews.Model(await access.GetAsync(handler_id)), Json.Options))
            .WithName("getEventHandler").Produces<JsonObject>();
        handlers.MapPut("/{handler_id}", UpdateAsync).WithName("updateEventHandler").Accepts<JsonObject>("application/json").Produces<JsonObject>();
        handlers.MapDelete("/{handler_id}", DeleteAsync).WithName("deleteEventHandler").Produces(StatusCodes.Status204NoContent);
        handlers.MapGet("/subscribers/{imsi}", ListBySubscriberAsync).WithName("listEventHandlersBySubscriber").Produces<JsonArray>();
        handlers.MapPost("/{handler_id}/subscribers/{imsi}/ignore", IgnoreAsync).WithName("setIgnoreEventHandler").Accepts<IgnoreRequest>("application/json").Produces(StatusCodes.Status200OK);
        handlers.MapDelete("/{handler_id}/subscribers/{imsi}/ignore", UnignoreAsync).WithName("deleteIgnoreEventHandler").Produces(StatusCodes.Status204NoContent);
        handlers.MapGet("/{handler_id}/executions", ExecutionsByHandlerAsync).WithName("listEventHandlerExecutions").Produces<JsonArray>();
        handlers.MapGet("/subscribers/{imsi}/executions", ExecutionsBySubscriberAsync).WithName("listEventHandlerExecutionsBySubscriber").Produces<JsonArray>();
        handlers.MapPost("/{handler_id}/executions/{execution_id}/actions/{action_index}/retry", RetryActionAsync)
            .WithName("retryEventHandlerAction").Produces<JsonObject>();
    }

    /// <summary>
    /// <c>GET /v1/event_handler_catalogue</c> (Simlane extension): outside <c>/v1/event_handlers</c>, whose one-segment
    /// paths are SORACOM's <c>getEventHandler</c>.
    /// </summary>
    public static void MapCatalogue(RouteGroupBuilder v1) =>
        v1.MapGet("/event_handler_catalogue", (HandlerLimits limits) => Results.Json(HandlerCatalogueView.Build(limits), Json.Options))
            .WithTags("EventHandler").WithName("getEventHandlerCatalogue").Produces<JsonObject>();

    private static async Task<IResult> ListAsync(HttpContext context, HandlerAccess access)
    {
        var target = QueryParams.Enum(context.Request.Query, "target", TargetFilters);
        var query = access.Owned().AsNoTracking();
        query = target switch
        {
            "imsi" => query.Where(h => h.TargetImsi != null),
            "sim" => query.Where(h => h.TargetSimId != null),
            "group" => query.Where(h => h.TargetGroupId != null),
            "operator" => query.Where(h => h.TargetOperatorId != null),
            _ => query,
        };
        var rows = await query.OrderBy(h => h.CreatedTime).ThenBy(h => h.HandlerId).ToListAsync(context.RequestAborted);
        return Results.Json(new JsonArray([.. rows.Select(HandlerViews.Model)]), Json.Options);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, HandlerAccess access, HandlerLimits limits, Caller caller, TimeProvider clock)
    {
        var definition = HandlerValidator.Validate(await ReadObjectAsync(request), limits);
        await access.EnsureTargetAsync(definition.Target, exceptHandlerId: null);
        var now = clock.NowMs();
        var row = new EventHandlerRow
        {
            HandlerId = Guid.NewGuid().ToString("D"),
            OperatorId = caller.OperatorId,
            Name = definition.Name,
            Status = definition.Status,
            RuleType = definition.RuleType,
            RuleProperties = "{}",
            Actions = "[]",
            CreatedTime = now,
        };
        Apply(row, definition, now);
        access.Db.EventHandlers.Add(row);
        await access.Db.SaveChangesAsync(request.HttpContext.RequestAborted);
        return Results.Json(HandlerViews.Model(row), Json.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// Which units would fire now (docs/api.md, "Dry run"): for a handler body, validated as by create (except
    /// the per-target handler limit, as nothing is created), or for <c>?handler_id=</c>, one of the caller's
    /// handlers (404 EHM0001 like get) with its ignores and firing states. Writes nothing.
    /// </summary>
    private static async Task<IResult> DryRunAsync(HttpRequest request, HandlerAccess access, HandlerLimits limits, Caller caller, TimeProvider clock, Usage.UsageOverlay overlay)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        EventHandlerRow row;
        List<HandlerIgnore> ignores = [];
        var stored = request.Query.TryGetValue("handler_id", out var handlerIds);
        if (stored)
        {
            row = await access.GetAsync(handlerIds.ToString());
            ignores = await access.Db.HandlerIgnores.AsNoTracking().Where(i => i.HandlerId == row.HandlerId).ToListAsync(cancellationToken);
        }
        else
        {
            var definition = HandlerValidator.Validate(await ReadObjectAsync(request), limits);
            await access.EnsureTargetAsync(definition.Target, exceptHandlerId: null, checkRoom: false);
            row = new EventHandlerRow
            {
                HandlerId = "dry-run",
                OperatorId = caller.OperatorId,
                Name = definition.Name,
                Status = definition.Status,
                RuleType = definition.RuleType,
                RuleProperties = "{}",
                Actions = "[]",
            };
            Apply(row, definition, clock.NowMs());
        }

        var result = await HandlerDryRun.EvaluateAsync(access.Db, overlay, row, ignores, stored, clock.NowMs(), cancellationToken);
        return Results.Json(result, Json.Options);
    }

    /// <summary>
    /// PUT replaces the whole handler. The rule generation grows only when the rule type, the rule
    /// properties or the target change (decisions.md 5); a change of name, description, actions or
    /// status keeps the firing state. An unknown or foreign ID is 400 EHM0002, as the spec says.
    /// </summary>
    private static async Task<IResult> UpdateAsync(string handler_id, HttpRequest request, HandlerAccess access, HandlerLimits limits, TimeProvider clock)
    {
        var row = await access.FindAsync(handler_id, track: true)
            ?? throw new SimlaneException(ErrorCodes.InvalidHandlerId, $"Invalid event handler ID '{handler_id}'");
        var definition = HandlerValidator.Validate(await ReadObjectAsync(request), limits);
        await access.EnsureTargetAsync(definition.Target, exceptHandlerId: row.HandlerId);

        var before = (row.RuleType, row.RuleProperties, HandlerViews.Target(row));
        Apply(row, definition, clock.NowMs());
        if (before != (row.RuleType, row.RuleProperties, HandlerViews.Target(row)))
        {
            row.RuleGeneration++;
        }

        try
        {
            await access.Db.SaveChangesAsync(request.HttpContext.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new SimlaneException(ErrorCodes.Conflict);
        }

        return Results.Json(HandlerViews.Model(row), Json.Options);
    }

    private static async Task<IResult> DeleteAsync(string handler_id, HandlerAccess access, HttpContext context)
    {
        var row = await access.GetAsync(handler_id, track: true);
        access.Db.EventHandlers.Remove(row);
        await access.Db.SaveChangesAsync(context.RequestAborted);
        await access.Db.HandlerExecutions.Where(e => e.HandlerId == row.HandlerId).ExecuteDeleteAsync(context.RequestAborted);

        // Pending re-evaluations of the handler (they would find it gone and do nothing, but need not wait for that).
        var rearm = $"{TimerKinds.HandlerReArm}:{row.HandlerId}:";
        await access.Db.Timers.Where(t => t.Key.StartsWith(rearm)).ExecuteDeleteAsync(context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>Every handler whose target covers the IMSI: the IMSI, its SIM, its group, its operator (decisions.md 10).</summary>
    private static async Task<IResult> ListBySubscriberAsync(string imsi, HttpContext context, HandlerAccess access, SimAccess sims)
    {
        var (sim, _) = await sims.GetByImsiAsync(imsi);
        var simId = sim.SimId;
        var groupId = sim.GroupId;
        var rows = await access.Owned().AsNoTracking()
            .Where(h => h.TargetImsi == imsi || h.TargetSimId == simId || (groupId != null && h.TargetGroupId == groupId) || h.TargetOperatorId != null)
            .OrderBy(h => h.CreatedTime).ThenBy(h => h.HandlerId)
            .ToListAsync(context.RequestAborted);
        return Results.Json(new JsonArray([.. rows.Select(HandlerViews.Model)]), Json.Options);
    }

    /// <summary>
    /// Ignores the IMSI for the handler. Idempotent: a second call replaces <c>until</c> and <c>reason</c>
    /// (Simlane's optional body) and keeps the creation time.
    /// </summary>
    private static async Task<IResult> IgnoreAsync(string handler_id, string imsi, HttpRequest request, HandlerAccess access, SimAccess sims, TimeProvider clock)
    {
        var handler = await access.GetAsync(handler_id);
        await sims.GetByImsiAsync(imsi);
        var body = await JsonBody.ReadAsync<IgnoreRequest>(request, required: false);
        var now = clock.NowMs();
        if (body.Until is { } bounded)
        {
            InputLimits.TimeMs(bounded, "until");
        }

        if (body.Reason is { } reason)
        {
            InputLimits.Text(reason, "reason", InputLimits.DescriptionMax);
        }

        if (body.Until is { } until && until <= now)
        {
            throw new SimlaneException(ErrorCodes.InvalidIgnoreRequest, $"until: must be a time (epoch ms) in the future, not {until.ToString(CultureInfo.InvariantCulture)}");
        }

        if (body.Reason is { Length: > IgnoreRequest.MaxReasonLength })
        {
            throw new SimlaneException(ErrorCodes.InvalidIgnoreRequest, $"reason: at most {IgnoreRequest.MaxReasonLength} characters");
        }

        var db = access.Db;
        var existing = await db.HandlerIgnores.SingleOrDefaultAsync(i => i.HandlerId == handler.HandlerId && i.Imsi == imsi, request.HttpContext.RequestAborted);
        if (existing is null)
        {
            db.HandlerIgnores.Add(new HandlerIgnore { HandlerId = handler.HandlerId, Imsi = imsi, Until = body.Until, Reason = body.Reason, CreatedTime = now });
        }
        else
        {
            existing.Until = body.Until;
            existing.Reason = body.Reason;
        }

        try
        {
            await db.SaveChangesAsync(request.HttpContext.RequestAborted);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A concurrent identical ignore won the race: the IMSI is ignored, which is what was asked.
        }
        catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            throw new SimlaneException(ErrorCodes.HandlerNotFound, $"No event handler '{handler_id}'");
        }

        return Results.Ok();
    }

    private static async Task<IResult> UnignoreAsync(string handler_id, string imsi, HttpContext context, HandlerAccess access, SimAccess sims)
    {
        var handler = await access.GetAsync(handler_id);
        await sims.GetByImsiAsync(imsi);
        // Through the change tracker (not ExecuteDelete), so the save moves the engine's handler stamp with it.
        var ignore = await access.Db.HandlerIgnores.SingleOrDefaultAsync(i => i.HandlerId == handler.HandlerId && i.Imsi == imsi, context.RequestAborted)
            ?? throw new SimlaneException(ErrorCodes.HandlerIgnoreNotFound, $"IMSI '{imsi}' is not ignored by event handler '{handler_id}'");
        access.Db.HandlerIgnores.Remove(ignore);
        try
        {
            await access.Db.SaveChangesAsync(context.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new SimlaneException(ErrorCodes.HandlerIgnoreNotFound, $"IMSI '{imsi}' is not ignored by event handler '{handler_id}'");
        }

        return Results.NoContent();
    }

    private static async Task<IResult> ExecutionsByHandlerAsync(string handler_id, HttpContext context, HandlerAccess access)
    {
        var handler = await access.GetAsync(handler_id);
        var executions = access.Db.HandlerExecutions.AsNoTracking().Where(e => e.HandlerId == handler.HandlerId);
        return await PageAsync(executions, context);
    }

    /// <summary>Firings for the IMSI itself and SIM-level firings of its SIM.</summary>
    private static async Task<IResult> ExecutionsBySubscriberAsync(string imsi, HttpContext context, HandlerAccess access, SimAccess sims, Caller caller)
    {
        var (sim, _) = await sims.GetByImsiAsync(imsi);
        var simId = sim.SimId;
        var operatorId = caller.OperatorId;
        var executions = access.Db.HandlerExecutions.AsNoTracking()
            .Where(e => e.OperatorId == operatorId && (e.Imsi == imsi || (e.Imsi == null && e.SimId == simId)));
        return await PageAsync(executions, context);
    }

    /// <summary>
    /// Schedules a dead or failed action of a firing for a new attempt now, with a fresh retry window and the
    /// same delivery id (receivers de-duplicate on it); answers the firing with its actions.
    /// </summary>
    private static async Task<IResult> RetryActionAsync(string handler_id, string execution_id, string action_index, HttpContext context, HandlerAccess access, TimeProvider clock)
    {
        var handler = await access.GetAsync(handler_id);
        SimlaneException NotFound() => new(ErrorCodes.ActionDeliveryNotFound, $"No action {action_index} of execution '{execution_id}' of event handler '{handler_id}'");
        if (!long.TryParse(execution_id, NumberStyles.None, CultureInfo.InvariantCulture, out var executionId)
            || !int.TryParse(action_index, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw NotFound();
        }

        var delivery = await access.Db.ActionDeliveries.SingleOrDefaultAsync(
                d => d.ExecutionId == executionId && d.HandlerId == handler.HandlerId && d.ActionIndex == index, context.RequestAborted)
            ?? throw NotFound();
        var step = DeliveryPolicy.Retry(delivery.State, clock.NowMs())
            ?? throw new SimlaneException(ErrorCodes.ActionNotRetryable, $"The action is {delivery.State}; only a dead or failed action can be retried");
        delivery.Apply(step);
        await access.Db.SaveChangesAsync(context.RequestAborted);

        var execution = await access.Db.HandlerExecutions.AsNoTracking().Include(e => e.Deliveries).SingleAsync(e => e.Id == executionId, context.RequestAborted);
        return Results.Json(HandlerViews.Execution(execution), Json.Options);
    }

    /// <summary>Newest first; <c>last_evaluated_key</c> is the last execution ID of the previous page.</summary>
    private static async Task<IResult> PageAsync(IQueryable<HandlerExecution> executions, HttpContext context)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, defaultValue: MaxPageSize, max: MaxPageSize, clampAboveMax: true);
        if (QueryParams.CursorLong(query) is { } after)
        {
            executions = executions.Where(e => e.Id < after);
        }

        var page = await executions.Include(e => e.Deliveries).AsSplitQuery().OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(context.RequestAborted);
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            Paging.SetNextKey(context, page[^1].Id.ToString(CultureInfo.InvariantCulture));
        }

        return Results.Json(new JsonArray([.. page.Select(HandlerViews.Execution)]), Json.Options);
    }

    private static void Apply(EventHandlerRow row, HandlerDefinition definition, long now)
    {
        row.Name = definition.Name;
        row.Description = definition.Description;
        row.Status = definition.Status;
        row.TargetImsi = definition.Target.Kind == TargetKind.Imsi ? definition.Target.Id : null;
        row.TargetSimId = definition.Target.Kind == TargetKind.Sim ? definition.Target.Id : null;
        row.TargetGroupId = definition.Target.Kind == TargetKind.Group ? definition.Target.Id : null;
        row.TargetOperatorId = definition.Target.Kind == TargetKind.Operator ? definition.Target.Id : null;
        row.RuleType = definition.RuleType;

        // Sorted, so that the same rule sent with its properties in another order is the same rule.
        var sorted = new JsonObject();
        foreach (var (key, value) in definition.RuleProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sorted[key] = value?.DeepClone();
        }

        row.RuleProperties = sorted.ToJsonString();
        row.Actions = definition.Actions.ToJsonString();
        row.UpdatedTime = now;
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request) =>
        await JsonBody.ReadNodeAsync(request) as JsonObject
            ?? throw new SimlaneException(ErrorCodes.MalformedJson, "The request body must be a JSON object");
}

/// <summary>Simlane's optional body for <c>setIgnoreEventHandler</c>.</summary>
public sealed class IgnoreRequest
{
    public const int MaxReasonLength = 1000;

    /// <summary>Epoch ms at which the ignore lapses by itself; absent = until removed.</summary>
    public long? Until { get; set; }

    public string? Reason { get; set; }
}

/// <summary>Loads the caller's handlers; a handler of another operator is reported exactly like a missing one.</summary>
public sealed class HandlerAccess(SimlaneDb db, Caller caller, HandlerLimits limits)
{
    public SimlaneDb Db => db;

    /// <summary>Lets endpoints take a <see cref="HandlerAccess"/> parameter without a service registration.</summary>
    public static ValueTask<HandlerAccess?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<HandlerAccess?>(ActivatorUtilities.CreateInstance<HandlerAccess>(context.RequestServices));

    public IQueryable<EventHandlerRow> Owned()
    {
        var operatorId = caller.OperatorId;
        return db.EventHandlers.Where(h => h.OperatorId == operatorId);
    }

    public async Task<EventHandlerRow?> FindAsync(string handlerId, bool track = false)
    {
        var query = track ? Owned() : Owned().AsNoTracking();
        return await query.SingleOrDefaultAsync(h => h.HandlerId == handlerId);
    }

    public async Task<EventHandlerRow> GetAsync(string handlerId, bool track = false) =>
        await FindAsync(handlerId, track) ?? throw new SimlaneException(ErrorCodes.HandlerNotFound, $"No event handler '{handlerId}'");

    /// <summary>
    /// The target must exist and be the caller's (400 EHM0006 naming the field, alike for unknown and
    /// foreign), a target IMSI must be a primary subscription, and the target must have room for one
    /// more handler (EHM0009; not checked with <paramref name="checkRoom"/> false, for a dry run).
    /// </summary>
    public async Task EnsureTargetAsync(HandlerTarget target, string? exceptHandlerId, bool checkRoom = true)
    {
        var operatorId = caller.OperatorId;
        var id = target.Id;
        var notFound = new SimlaneException(ErrorCodes.InvalidHandlerTarget, $"{target.Field}: no such {TargetKinds.Name(target.Kind)} '{id}'");
        switch (target.Kind)
        {
            case TargetKind.Imsi:
                var subscription = await db.Subscriptions.AsNoTracking()
                    .Where(s => s.Imsi == id && db.Sims.Any(sim => sim.SimId == s.SimId && sim.OperatorId == operatorId))
                    .SingleOrDefaultAsync() ?? throw notFound;
                if (!subscription.IsPrimary)
                {
                    throw new SimlaneException(ErrorCodes.InvalidHandlerTarget, $"targetImsi: '{id}' is an added (secondary) subscription; target its SIM with targetSimId instead");
                }

                break;
            case TargetKind.Sim:
                if (!await db.Sims.AnyAsync(s => s.SimId == id && s.OperatorId == operatorId))
                {
                    throw notFound;
                }

                break;
            case TargetKind.Group:
                if (!await db.Groups.AnyAsync(g => g.GroupId == id && g.OperatorId == operatorId))
                {
                    throw notFound;
                }

                break;
            default:
                if (id != operatorId)
                {
                    throw notFound;
                }

                break;
        }

        if (!checkRoom)
        {
            return;
        }

        var onTarget = target.Kind switch
        {
            TargetKind.Imsi => Owned().Where(h => h.TargetImsi == id),
            TargetKind.Sim => Owned().Where(h => h.TargetSimId == id),
            TargetKind.Group => Owned().Where(h => h.TargetGroupId == id),
            _ => Owned().Where(h => h.TargetOperatorId == id),
        };
        if (exceptHandlerId is not null)
        {
            onTarget = onTarget.Where(h => h.HandlerId != exceptHandlerId);
        }

        if (await onTarget.CountAsync() >= limits.MaxHandlersPerTarget)
        {
            throw new SimlaneException(ErrorCodes.TooManyHandlers,
                $"{target.Field}: '{id}' already has {limits.MaxHandlersPerTarget} event handlers, the most allowed");
        }
    }
}
