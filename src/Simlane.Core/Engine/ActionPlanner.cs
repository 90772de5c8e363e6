using System.Text.Json.Nodes;
using Simlane.Core.Handlers;
using Simlane.Core.Sims;

namespace Simlane.Core.Engine;

/// <summary>
/// The action planner (docs/engine.md "Rule engine"): a firing and the handler's typed actions become the
/// planned actions, each with its due time (<see cref="Timing.ActionDueAt"/>) and its properties with the
/// <c>${…}</c> variables of the firing expanded (only the properties of <see cref="ExpandedProperties"/>).
/// </summary>
public static class ActionPlanner
{
    /// <summary>Action properties whose <c>${…}</c> variables are expanded (domain.md 1.7.3); the others are copied as stored.</summary>
    public static readonly IReadOnlySet<string> ExpandedProperties = new HashSet<string>(StringComparer.Ordinal)
    {
        "title", "message", "url", "headers", "body", "parameter1", "parameter2", "parameter3", "parameter4", "parameter5",
    };

    /// <summary>
    /// The variables of a firing: the firing's unit, the handler's owner, the event SIM's tags (and, for an OTA, the added subscription's plan), the rule-specific
    /// variables its rule type fills in (<see cref="RuleTypeSpec.Variables"/>). For SimSubscriptionStatusRule
    /// <c>${imsi}</c> is the added IMSI once the OTA finished, else the primary one.
    /// </summary>
    public static VariableContext Variables(TypedHandler handler, RuleDecision firing, Sim? sim, string? primaryImsi, string coverage)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(firing);
        var fills = handler.Rule.Type.Variables;
        var variables = new VariableContext
        {
            Imsi = firing.Imsi ?? primaryImsi,
            SimId = firing.SimId,
            OperatorId = handler.OperatorId,
            MatchTime = firing.FiredTime,
            Tags = sim?.Tags.ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal),
            Coverage = coverage,
            OldStatus = fills.HasFlag(RuleVariables.Status) ? firing.Old : null,
            NewStatus = fills.HasFlag(RuleVariables.Status) ? firing.New : null,
            OldSpeedClass = fills.HasFlag(RuleVariables.SpeedClass) ? firing.Old : null,
            NewSpeedClass = fills.HasFlag(RuleVariables.SpeedClass) ? firing.New : null,
            OtaStatus = fills.HasFlag(RuleVariables.Subscription) ? firing.New : null,
            Subscription = fills.HasFlag(RuleVariables.Subscription) ? sim?.Subscriptions.FirstOrDefault(s => s.Imsi == firing.Old)?.Plan : null,
            PrimaryImsi = primaryImsi,
            SessionStatus = fills.HasFlag(RuleVariables.SessionStatus) ? firing.New : null,
            Imei = firing.Imei,
        };
        return fills.HasFlag(RuleVariables.Subscription)
            ? variables with { Imsi = firing.New == "finished" ? firing.Old : primaryImsi }
            : variables;
    }

    /// <summary>The planned actions (<c>[{"type","dueTime","properties"}]</c>, dueTime null for NEVER) of a firing at <paramref name="firedTime"/>.</summary>
    public static JsonArray Plan(IReadOnlyList<HandlerAction> actions, long firedTime, VariableContext variables)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(variables);
        var planned = new JsonArray();
        foreach (var action in actions)
        {
            var expanded = new JsonObject();
            foreach (var (name, value) in action.Properties)
            {
                expanded[name] = ExpandedProperties.Contains(name) ? Expand(value, variables) : value?.DeepClone();
            }

            planned.Add(new JsonObject
            {
                ["type"] = action.Type,
                ["dueTime"] = Timing.ActionDueAt(action.ExecutionTime, action.ExecutionOffsetMinutes, firedTime),
                ["properties"] = expanded,
            });
        }

        return planned;
    }

    private static JsonNode? Expand(JsonNode? value, VariableContext variables) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Engine.Variables.Expand(s, variables)),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Expand(p.Value, variables)))),
        _ => value?.DeepClone(),
    };
}
