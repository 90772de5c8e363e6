using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Auth;
using Simlane.Storage;

namespace Simlane.Server.Sandbox;

/// <summary>
/// <c>DELETE /v1/sandbox/operators/{operator_id}</c> (sandboxDeleteOperator): the caller deletes its own
/// sandbox operator and everything it owns, in one transaction (docs/api.md, decisions.md S44). Its SIMs
/// are deleted with it, not returned to inventory; SIMs created in the sandbox and never registered
/// belong to no operator and stay. Afterwards its API keys, tokens and auth keys no longer authenticate.
/// Another operator's ID, existing or not, is 400 AUM0010 (the spec: "Operator does not exist").
/// </summary>
public static class SandboxOperators
{
    public static void Map(RouteGroupBuilder sandbox) =>
        sandbox.MapDelete("/operators/{operator_id}", DeleteAsync).WithName("sandboxDeleteOperator").Produces(StatusCodes.Status200OK);

    private static async Task<IResult> DeleteAsync(string operator_id, Caller caller, SimlaneDb db)
    {
        if (!string.Equals(operator_id, caller.OperatorId, StringComparison.Ordinal))
        {
            throw new SimlaneException(ErrorCodes.InvalidOperatorId, $"Invalid operator ID '{operator_id}'");
        }

        await DeleteOperatorAsync(db, operator_id, CancellationToken.None);
        return Results.Ok();
    }

    /// <summary>Deletes every row of the operator; runs to the end even if the client goes away.</summary>
    public static async Task DeleteOperatorAsync(SimlaneDb db, string operatorId, CancellationToken cancellationToken)
    {
        using var gate = await db.EnterWriterGateAsync(priority: false, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // No fold (of this or another server) adds to this operator's counters while they are deleted.
        await AdvisoryLocks.TakeAsync(db, AdvisoryLocks.UsageFold, cancellationToken);

        var sims = db.Sims.Where(s => s.OperatorId == operatorId).Select(s => s.SimId);
        var imsis = db.Subscriptions.Where(x => sims.Contains(x.SimId)).Select(x => x.Imsi);
        var groups = db.Groups.Where(g => g.OperatorId == operatorId).Select(g => g.GroupId);

        // Handlers through the change tracker, so the save moves the rule engine's handler stamp (its cache).
        var handlers = await db.EventHandlers.Where(h => h.OperatorId == operatorId).ToListAsync(cancellationToken);
        var handlerIds = handlers.Select(h => h.HandlerId).ToList();
        await db.ActionDeliveries.Where(d => d.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.HandlerExecutions.Where(e => e.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.HandlerUnitStates.Where(u => handlerIds.Contains(u.HandlerId)).ExecuteDeleteAsync(cancellationToken);
        await db.HandlerIgnores.Where(i => handlerIds.Contains(i.HandlerId)).ExecuteDeleteAsync(cancellationToken);
        foreach (var handlerId in handlerIds)
        {
            var rearm = $"{TimerKinds.HandlerReArm}:{handlerId}:";
            await db.Timers.Where(t => t.Key.StartsWith(rearm)).ExecuteDeleteAsync(cancellationToken);
        }

        db.EventHandlers.RemoveRange(handlers);
        await db.SaveChangesAsync(cancellationToken);

        await db.Timers.Where(t => t.Kind == TimerKinds.SimExpiry && sims.Contains(t.Payload)).ExecuteDeleteAsync(cancellationToken);
        await db.DomainEvents.Where(e => e.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.SessionEventRows.Where(e => e.OperatorId == operatorId || sims.Contains(e.SimId)).ExecuteDeleteAsync(cancellationToken);
        await db.Sessions.Where(s => s.OperatorId == operatorId || sims.Contains(s.SimId)).ExecuteDeleteAsync(cancellationToken);
        await db.NasRequests.Where(r => r.OperatorId == operatorId || sims.Contains(r.SimId)).ExecuteDeleteAsync(cancellationToken);
        await db.UsageCounters.Where(c => c.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.UsageJournal.Where(j => j.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);

        // The fold's in-memory overlay may hold this operator's traffic: a new checkpoint generation makes every server's
        // overlay stale, so readers ignore it and the next fold rebuilds it from the journal, now without the operator.
        await EngineCursorSql.BumpStampAsync(db, UsageFoldCursors.Checkpoint, 0, cancellationToken);

        // The SIMs go without events: every server's IMSI directory empties itself when it sees this stamp move.
        await EngineCursorSql.BumpStampAsync(db, Usage.ImsiDirectory.Stamp, 0, cancellationToken);
        await db.AcceptedUsageRecords.Where(r => imsis.Contains(r.Imsi)).ExecuteDeleteAsync(cancellationToken);
        var batches = Usage.Metering.BatchNamespace(operatorId);
        await db.AcceptedUsageRecords.Where(r => r.OperatorId == batches).ExecuteDeleteAsync(cancellationToken);
        await db.StatusHistory.Where(h => sims.Contains(h.SimId)).ExecuteDeleteAsync(cancellationToken);
        await db.SimTags.Where(t => sims.Contains(t.SimId)).ExecuteDeleteAsync(cancellationToken);
        await db.Subscriptions.Where(x => sims.Contains(x.SimId)).ExecuteDeleteAsync(cancellationToken);
        await db.Sims.Where(s => s.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.GroupMemberships.Where(m => m.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.GroupTags.Where(t => groups.Contains(t.GroupId)).ExecuteDeleteAsync(cancellationToken);
        await db.Groups.Where(g => g.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.SimDayCharges.Where(r => r.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.DailyCharges.Where(r => r.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.MonthlyCharges.Where(r => r.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.ExportedFiles.Where(f => f.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.Credentials.Where(c => c.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookSecrets.Where(w => w.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.ApiTokens.Where(t => t.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.AuthKeys.Where(k => k.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await db.Operators.Where(o => o.OperatorId == operatorId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
