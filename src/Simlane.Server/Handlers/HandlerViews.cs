using System.Globalization;
using System.Text.Json.Nodes;
using Simlane.Core.Actions;
using Simlane.Storage;

namespace Simlane.Server.Handlers;

/// <summary>
/// <c>EventHandlerModel</c> as SORACOM answers it: the unused targets and a missing description are JSON
/// <c>null</c> (issue 5, domain.md 1.7, SORACOM's configure-with-api listing), although the spec's schema does
/// not mark them nullable; the contract test allows exactly that (docs/decisions.md S26, exception X1).
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
        model["description"] = row.Description;
        model["status"] = row.Status;
        model["targetImsi"] = row.TargetImsi;
        model["targetSimId"] = row.TargetSimId;
        model["targetGroupId"] = row.TargetGroupId;
        model["targetOperatorId"] = row.TargetOperatorId;
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
        ["actions"] = new JsonArray([.. e.Deliveries.OrderBy(d => d.ActionIndex).Select(Delivery)]),
    };

    /// <summary>Where one action of a firing stands (issue 6, "History").</summary>
    public static JsonObject Delivery(ActionDelivery d) => new()
    {
        ["index"] = d.ActionIndex,
        ["type"] = d.ActionType,
        ["deliveryId"] = d.DeliveryKey,
        ["state"] = d.State,
        ["dueTime"] = d.DueTime,
        ["attempts"] = d.Attempts,
        ["nextAttemptTime"] = d.State == DeliveryStates.Scheduled ? d.NextAttemptTime : null,
        ["lastAttemptTime"] = d.LastAttemptTime,
        ["lastError"] = d.LastError,
        ["lastHttpStatus"] = d.LastHttpStatus,
        ["completedTime"] = d.CompletedTime,
    };
}
