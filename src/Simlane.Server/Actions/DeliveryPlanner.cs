using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Simlane.Core.Actions;
using Simlane.Core.Handlers;
using Simlane.Storage;

namespace Simlane.Server.Actions;

/// <summary>
/// Turns a firing's planned actions (type, due time, expanded properties) into delivery rows, written in
/// the firing's transaction: one per action, independent of each other (domain.md 4.6). NEVER actions get
/// a <see cref="DeliveryStates.Skipped"/> row, so the history shows them too.
/// </summary>
public static class DeliveryPlanner
{
    /// <summary>The property an <see cref="ActionCatalogue.ImeiLock"/> delivery carries: the IMEI of the session that fired.</summary>
    public const string ImeiProperty = "imei";

    public static List<ActionDelivery> Plan(JsonArray planned, string handlerId, string operatorId, string? imsi, string? simId, string? imei, long now)
    {
        var deliveries = new List<ActionDelivery>(planned.Count);
        for (var index = 0; index < planned.Count; index++)
        {
            var action = planned[index]!.AsObject();
            var type = action["type"]?.GetValue<string>() ?? "";
            var properties = action["properties"]?.DeepClone().AsObject() ?? [];
            if (type == ActionCatalogue.ImeiLock && imei is not null)
            {
                properties[ImeiProperty] = imei;
            }

            var due = action["dueTime"] is JsonValue v && v.TryGetValue<long>(out var d) ? d : (long?)null;
            var start = DeliveryPolicy.Planned(due, now);
            deliveries.Add(new ActionDelivery
            {
                HandlerId = handlerId,
                OperatorId = operatorId,
                ActionIndex = index,
                ActionType = type,
                Properties = properties.ToJsonString(),
                Imsi = imsi,
                SimId = simId,
                DeliveryKey = NewKey(),
                State = start.State,
                DueTime = due,
                NextAttemptTime = start.NextAttemptTime,
                CompletedTime = start.CompletedTime,
                CreatedTime = now,
            });
        }

        return deliveries;
    }

    /// <summary>A random delivery id: <c>dlv-</c> and 32 hex digits.</summary>
    public static string NewKey() => "dlv-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
