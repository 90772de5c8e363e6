using Microsoft.EntityFrameworkCore;
using Simlane.Core.Engine;
using Simlane.Core.Handlers;
using Simlane.Storage;

namespace Simlane.Server.Engine;

/// <summary>An active handler: its stored row (ID, generation, owner) and its typed form (<see cref="TypedHandler"/>).</summary>
public sealed record ActiveHandler(EventHandlerRow Row, TypedHandler Typed);

/// <summary>The active handlers, indexed and typed, with their ignores, as of <see cref="Stamp"/>.</summary>
public sealed record HandlerCatalog(long Stamp, Dictionary<string, ActiveHandler> Handlers, HandlerIndex Index, ILookup<string, RuleIgnore> Ignores);

/// <summary>
/// The active handlers of every operator, indexed and in their typed form, with their ignores: kept between reads and
/// reloaded when the handlers stamp moved (any handler or ignore change, in this process or another, moves it in its own
/// transaction). Shared by the rule engine (which evaluates events against it) and the usage fold (which writes usage
/// events only for IMSIs some handler may match, decision S65). Read inside the caller's transaction, before anything that
/// depends on it, so a change committed meanwhile is at worst seen on the caller's next transaction.
/// </summary>
public sealed class HandlerCatalogs
{
    private volatile HandlerCatalog? current;

    public async Task<HandlerCatalog> CurrentAsync(SimlaneDb db, CancellationToken cancellationToken)
    {
        var stamp = await db.EngineCursors.AsNoTracking().Where(c => c.Name == EngineCursors.HandlersStamp)
            .Select(c => (long?)c.Position).SingleOrDefaultAsync(cancellationToken) ?? 0;
        if (current is { } cached && cached.Stamp == stamp)
        {
            return cached;
        }

        var handlers = (await db.EventHandlers.AsNoTracking().Where(h => h.Status == HandlerValidator.Active).ToListAsync(cancellationToken))
            .Select(h => new ActiveHandler(h, RuleReads.Typed(h))).ToList();
        var rows = handlers.ToDictionary(h => h.Row.HandlerId, StringComparer.Ordinal);
        var ignores = (await db.HandlerIgnores.AsNoTracking().ToListAsync(cancellationToken))
            .Where(i => rows.ContainsKey(i.HandlerId)).ToLookup(i => i.HandlerId, RuleReads.Ignore, StringComparer.Ordinal);
        var index = new HandlerIndex(handlers.Select(h => new IndexedHandler(h.Row.HandlerId, h.Row.OperatorId, h.Row.RuleType, h.Typed.TargetKind, h.Typed.TargetId)));
        return current = new HandlerCatalog(stamp, rows, index, ignores);
    }
}
