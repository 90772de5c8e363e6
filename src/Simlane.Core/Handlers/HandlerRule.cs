using System.Globalization;
using System.Text.Json.Nodes;

namespace Simlane.Core.Handlers;

/// <summary>
/// A handler's rule, typed: its <see cref="RuleTypeSpec"/> and every rule property as the engine reads it.
/// Built by <see cref="HandlerRule.From(RuleTypeSpec, JsonObject)"/> from the validator's normalised
/// properties, which are also what is stored: nothing downstream reads the property JSON again.
/// </summary>
public sealed record HandlerRule(
    RuleTypeSpec Type,
    string InactiveTimeout,
    int InactiveTimeoutOffsetMinutes,
    long? LimitMiB = null,
    decimal? LimitAmount = null,
    string? SourceStatus = null,
    string? TargetStatus = null,
    string? TargetSpeedClass = null,
    string? TargetOtaStatus = null,
    string? SessionStatus = null,
    bool HasImei = false,
    bool RunOnceAmongTarget = false)
{
    /// <summary>The typed rule of normalised properties (<see cref="HandlerValidator"/>'s output, or a stored row's).</summary>
    public static HandlerRule From(RuleTypeSpec type, JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(properties);
        return new HandlerRule(
            type,
            Text(properties, RuleCatalogue.InactiveTimeoutDateConst) ?? Timings.Never,
            Text(properties, RuleCatalogue.InactiveTimeoutOffsetMinutes) is { } offset ? int.Parse(offset, CultureInfo.InvariantCulture) : 0,
            Text(properties, RuleCatalogue.LimitTotalTrafficMegaByte) is { } miB ? long.Parse(miB, CultureInfo.InvariantCulture) : null,
            Text(properties, RuleCatalogue.LimitTotalAmount) is { } amount ? decimal.Parse(amount, CultureInfo.InvariantCulture) : null,
            Text(properties, RuleCatalogue.SourceStatus),
            Text(properties, RuleCatalogue.TargetStatus),
            Text(properties, RuleCatalogue.TargetSpeedClass),
            Text(properties, RuleCatalogue.TargetOtaStatus),
            Text(properties, RuleCatalogue.SessionStatus),
            properties[RuleCatalogue.HasImei] is JsonValue v && v.TryGetValue<bool>(out var hasImei) && hasImei,
            Text(properties, RuleCatalogue.RunOnceAmongTarget) == "true");
    }

    internal static string? Text(JsonObject properties, string name) =>
        properties[name] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;
}

/// <summary>
/// One action of a handler, typed: its type, when it runs (<c>executionDateTimeConst</c> and
/// <c>executionOffsetMinutes</c>) and its normalised properties (expanded by the action planner).
/// </summary>
public sealed record HandlerAction(string Type, string ExecutionTime, int ExecutionOffsetMinutes, JsonObject Properties)
{
    /// <summary>The typed action of a normalised <c>{"type","properties"}</c> object.</summary>
    public static HandlerAction From(JsonObject action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var properties = action["properties"] as JsonObject ?? [];
        return new HandlerAction(
            action["type"]?.GetValue<string>() ?? "",
            HandlerRule.Text(properties, ActionCatalogue.ExecutionDateTimeConst) ?? Timings.Immediately,
            HandlerRule.Text(properties, ActionCatalogue.ExecutionOffsetMinutes) is { } offset ? int.Parse(offset, CultureInfo.InvariantCulture) : 0,
            (JsonObject)properties.DeepClone());
    }
}

/// <summary>
/// A handler as the engine and the dry run use it: who owns it, its target and its typed rule and actions.
/// For an operator target <paramref name="TargetId"/> is the target operator (the owner when not given).
/// </summary>
public sealed record TypedHandler(
    string HandlerId,
    string OperatorId,
    TargetKind TargetKind,
    string TargetId,
    HandlerRule Rule,
    IReadOnlyList<HandlerAction> Actions)
{
    /// <summary>
    /// The one function that turns a stored handler into its typed form. The stored rule properties and
    /// actions are the validator's normalised JSON (<see cref="HandlerDefinition"/>), so nothing is validated again.
    /// </summary>
    public static TypedHandler FromStored(
        string handlerId, string operatorId, TargetKind targetKind, string targetId, string ruleType, string ruleProperties, string actions)
    {
        var rule = HandlerRule.From(RuleCatalogue.Get(ruleType), JsonNode.Parse(ruleProperties) as JsonObject ?? []);
        var typed = (JsonNode.Parse(actions) as JsonArray ?? []).OfType<JsonObject>().Select(HandlerAction.From).ToList();
        return new TypedHandler(handlerId, operatorId, targetKind, targetId, rule, typed);
    }
}
