using Simlane.Core.Events;
using Simlane.Core.Handlers;

namespace Simlane.Core.Engine;

/// <summary>What the index needs to know about one active handler.</summary>
public sealed record IndexedHandler(string HandlerId, string OperatorId, string RuleType, TargetKind TargetKind, string TargetId);

/// <summary>The unit a domain event is about: its operator, SIM, IMSI (null for SIM-level rows), the SIM's group and whether the IMSI is the primary one.</summary>
public readonly record struct EventUnit(string OperatorId, string? SimId, string? Imsi, string? GroupId, bool PrimaryImsi);

/// <summary>
/// Handlers indexed by target, so that an event touches only the handlers that can match it. An event's
/// candidates are the handlers whose rule listens to the event (<see cref="Listens"/>) and whose target
/// covers the event's unit: an IMSI row is covered by the IMSI, its SIM, the SIM's group and the operator;
/// a SIM-level row by the SIM, its group and the operator. The group/operator total rules compare the
/// group's or operator's own counters (which attribute traffic to the group the SIM was in at traffic
/// time, decisions.md S24), so every such handler of the operator is a candidate for every usage event.
/// </summary>
public sealed class HandlerIndex
{
    private readonly Dictionary<(TargetKind, string), List<IndexedHandler>> byTarget = [];
    private readonly Dictionary<string, List<IndexedHandler>> aggregatesByOperator = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IndexedHandler>> groupTargetedByOperator = new(StringComparer.Ordinal);

    public HandlerIndex(IEnumerable<IndexedHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        foreach (var handler in handlers)
        {
            if (RuleCatalogue.Find(handler.RuleType)?.Counter?.Scope == CounterScope.Target)
            {
                Add(aggregatesByOperator, handler.OperatorId, handler);
                continue;
            }

            var key = (handler.TargetKind, handler.TargetId);
            if (!byTarget.TryGetValue(key, out var list))
            {
                byTarget[key] = list = [];
            }

            list.Add(handler);
            if (handler.TargetKind == TargetKind.Group)
            {
                Add(groupTargetedByOperator, handler.OperatorId, handler);
            }
        }
    }

    /// <summary>
    /// Whether an event may have candidates, before its SIM's group and primary IMSI are known: a handler on
    /// the IMSI or the SIM, on any group of the operator, on the operator, or an aggregate rule, that listens
    /// to the event. False means <see cref="Candidates"/> is empty whatever the group and primary IMSI, so the
    /// caller need not look the SIM up.
    /// </summary>
    public bool MayMatch(string eventType, string operatorId, string? simId, string? imsi)
    {
        var simLevel = imsi is null;
        return AnyListens(aggregatesByOperator.GetValueOrDefault(operatorId), eventType, simLevel)
            || AnyListens(imsi is null ? null : byTarget.GetValueOrDefault((TargetKind.Imsi, imsi)), eventType, simLevel)
            || AnyListens(simId is null ? null : byTarget.GetValueOrDefault((TargetKind.Sim, simId)), eventType, simLevel)
            || AnyListens(groupTargetedByOperator.GetValueOrDefault(operatorId), eventType, simLevel)
            || AnyListens(byTarget.GetValueOrDefault((TargetKind.Operator, operatorId)), eventType, simLevel);
    }

    private static bool AnyListens(List<IndexedHandler>? handlers, string eventType, bool simLevel)
    {
        if (handlers is null)
        {
            return false;
        }

        foreach (var handler in handlers)
        {
            if (Listens(handler.RuleType, eventType, simLevel, primaryImsi: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="ruleType"/> is evaluated on an event of <paramref name="eventType"/>
    /// (<see cref="RuleTypeSpec.Listens"/>); false for an unknown rule type.
    /// </summary>
    public static bool Listens(string ruleType, string eventType, bool simLevel, bool primaryImsi) =>
        RuleCatalogue.Find(ruleType)?.Listens(eventType, simLevel, primaryImsi) == true;

    /// <summary>The handlers that may fire on an event of <paramref name="eventType"/> about <paramref name="unit"/>.</summary>
    public List<IndexedHandler> Candidates(string eventType, EventUnit unit)
    {
        var result = new List<IndexedHandler>();
        var simLevel = unit.Imsi is null;
        if (unit.Imsi is { } imsi)
        {
            Collect(result, (TargetKind.Imsi, imsi), eventType, simLevel, unit.PrimaryImsi);
        }

        if (unit.SimId is { } simId)
        {
            Collect(result, (TargetKind.Sim, simId), eventType, simLevel, unit.PrimaryImsi);
        }

        if (unit.GroupId is { } groupId)
        {
            Collect(result, (TargetKind.Group, groupId), eventType, simLevel, unit.PrimaryImsi);
        }

        Collect(result, (TargetKind.Operator, unit.OperatorId), eventType, simLevel, unit.PrimaryImsi);
        if (aggregatesByOperator.TryGetValue(unit.OperatorId, out var aggregates))
        {
            result.AddRange(aggregates.Where(h => Listens(h.RuleType, eventType, simLevel, unit.PrimaryImsi)));
        }

        return result;
    }

    private void Collect(List<IndexedHandler> result, (TargetKind, string) key, string eventType, bool simLevel, bool primaryImsi)
    {
        if (byTarget.TryGetValue(key, out var list))
        {
            foreach (var handler in list)
            {
                if (Listens(handler.RuleType, eventType, simLevel, primaryImsi))
                {
                    result.Add(handler);
                }
            }
        }
    }

    private static void Add(Dictionary<string, List<IndexedHandler>> map, string key, IndexedHandler handler)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(handler);
    }
}
