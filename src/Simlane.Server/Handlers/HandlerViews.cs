using System.Globalization;
using System.Text.Json.Nodes;
using Simlane.Storage;

namespace Simlane.Server.Handlers;

/// <summary>
/// <c>EventHandlerModel</c>: the unused targets and a missing description are omitted, as the spec's
/// schema does not mark them nullable (docs/decisions.md S25).
/// </summary>
public static class HandlerViews
{
    public static (string? Imsi, string? SimId, string? GroupId, string? OperatorId) Target(EventHandlerRow row) =>
        (row.TargetImsi, row.TargetSimId, row.TargetGroupId, row.TargetOperatorId);

    public static JsonObject Model(EventHandlerRow row)
    {
        var model = new JsonObject
        {
            ["handlerId"] = row.HandlerId,
            ["name"] = row.Name,
        };
        if (row.Description is not null)
        {
            model["description"] = row.Description;
        }

        model["status"] = row.Status;
        AddIfSet(model, "targetImsi", row.TargetImsi);
        AddIfSet(model, "targetSimId", row.TargetSimId);
        AddIfSet(model, "targetGroupId", row.TargetGroupId);
        AddIfSet(model, "targetOperatorId", row.TargetOperatorId);
        model["ruleConfig"] = new JsonObject
        {
            ["type"] = row.RuleType,
            ["properties"] = JsonNode.Parse(row.RuleProperties),
        };
        model["actionConfigList"] = JsonNode.Parse(row.Actions);
        return model;
    }

    /// <summary>One firing (Simlane extension; docs/api.md).</summary>
    public static JsonObject Execution(HandlerExecution e) => new()
    {
        ["executionId"] = e.Id.ToString(CultureInfo.InvariantCulture),
        ["handlerId"] = e.HandlerId,
        ["unitKey"] = e.UnitKey,
        ["imsi"] = e.Imsi,
        ["simId"] = e.SimId,
        ["ruleType"] = e.RuleType,
        ["observedValue"] = e.ObservedValue,
        ["threshold"] = e.Threshold,
        ["oldValue"] = e.OldValue,
        ["newValue"] = e.NewValue,
        ["windowStart"] = e.WindowStart,
        ["windowEnd"] = e.WindowEnd,
        ["firedTime"] = e.FiredTime,
        ["plannedActions"] = JsonNode.Parse(e.PlannedActions),
    };

    private static void AddIfSet(JsonObject model, string name, string? value)
    {
        if (value is not null)
        {
            model[name] = value;
        }
    }
}
