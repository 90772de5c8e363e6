using Microsoft.Extensions.Options;
using Simlane.Core.Actions;
using Simlane.Core.Errors;
using Simlane.Core.Handlers;
using Simlane.Core.Sims;
using Simlane.Server.Auth;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Actions;

/// <summary>
/// The SIM actions (status, speed class, IMEI lock) of issue 6, part 3: applied to the firing's SIM through
/// the same lifecycle as the API (<see cref="SimAccess"/> acting as the handler's operator), so they write
/// status/speed-class events other handlers see, and a change the lifecycle refuses (say, on a terminated
/// SIM) fails with the lifecycle's code and message and changes nothing. The delivery is marked succeeded in
/// the same transaction as the SIM change, so a crash can neither lose the change nor apply it twice.
/// </summary>
public sealed class SimActionExecutor(IServiceScopeFactory scopes, IOptions<DeliveryOptions> options) : IActionExecutor
{
    private readonly DeliveryPolicy policy = options.Value.ToPolicy();

    public IReadOnlyCollection<string> ActionTypes { get; } =
    [
        ActionCatalogue.Activation, ActionCatalogue.Deactivation, ActionCatalogue.Standby, ActionCatalogue.Suspend,
        ActionCatalogue.ChangeSpeedClass, ActionCatalogue.ImeiLock,
    ];

    public async Task<ActionOutcome> ExecuteAsync(ActionAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.SimId is null)
        {
            return ActionOutcome.Permanent("This firing is about a group or operator total, not one SIM: a SIM action has nothing to apply to");
        }

        Func<Sim, long, Task> change;
        try
        {
            change = Change(attempt);
        }
        catch (SimlaneException e)
        {
            return ActionOutcome.Permanent($"{e.Error.Code}: {e.Message}");
        }

        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<Caller>().Set(attempt.OperatorId, "");
        var access = scope.ServiceProvider.GetRequiredService<SimAccess>();
        try
        {
            await access.ChangeBySimIdAsync(attempt.SimId, async (sim, now) =>
            {
                await change(sim, now);

                // Staged with the SIM change (again on a retried save): one transaction for both.
                var delivery = await access.Db.ActionDeliveries.FindAsync([attempt.DeliveryId], cancellationToken);
                if (delivery is not null)
                {
                    // The attempt began on a scheduled delivery (the only state the worker claims), whatever the row says meanwhile.
                    delivery.Apply(policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Succeeded, attempt.Attempt, null, now, null, 0)!.Value);
                    delivery.LastError = null;
                    delivery.LeaseOwner = null;
                    delivery.LeaseUntil = null;
                }
            });
        }
        catch (SimlaneException e) when (e.Error.HttpStatus is >= 400 and < 500 && e.Error != ErrorCodes.Conflict)
        {
            return ActionOutcome.Permanent($"{e.Error.Code}: {e.Message}");
        }

        return ActionOutcome.Success();
    }

    private static Func<Sim, long, Task> Change(ActionAttempt attempt)
    {
        Action<Sim, long> change = attempt.ActionType switch
        {
            ActionCatalogue.Activation => (s, now) => s.ChangeStatus(SimStatus.Active, now),
            ActionCatalogue.Deactivation => (s, now) => s.ChangeStatus(SimStatus.Inactive, now),
            ActionCatalogue.Standby => (s, now) => s.ChangeStatus(SimStatus.Standby, now),
            ActionCatalogue.Suspend => (s, now) => s.ChangeStatus(SimStatus.Suspended, now),
            ActionCatalogue.ChangeSpeedClass => SpeedClass(SpeedClassRequest.Validate(attempt.Properties["speedClass"]?.GetValue<string>())),
            ActionCatalogue.ImeiLock => ImeiLock(attempt.Properties[DeliveryPlanner.ImeiProperty]?.GetValue<string>()),
            _ => throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{attempt.ActionType} is not a SIM action"),
        };
        return (sim, now) =>
        {
            change(sim, now);
            return Task.CompletedTask;
        };
    }

    private static Action<Sim, long> SpeedClass(string speedClass) => (s, now) => s.UpdateSpeedClass(speedClass, now);

    private static Action<Sim, long> ImeiLock(string? imei) => imei is null
        ? throw new SimlaneException(ErrorCodes.InvalidActionConfig, "ImeiLockAction: the firing carries no IMEI (the session had none)")
        : (s, now) => s.SetImeiLock(imei, now);
}
