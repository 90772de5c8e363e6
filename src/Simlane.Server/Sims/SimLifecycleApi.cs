using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Sims;

/// <summary>
/// The state-changing calls that exist twice, once under <c>/sims/{sim_id}</c> (answering the Sim
/// view) and once under <c>/subscribers/{imsi}</c> (answering the Subscriber view). Each is defined once
/// here: it reads and validates its body, then returns the change to apply to the SIM.
/// </summary>
public static class SimLifecycleApi
{
    private delegate Task<Func<Sim, long, Task>> ChangeFactory(HttpRequest request, SimAccess access, bool viaImsi);

    public static void Map(RouteGroupBuilder sim, RouteGroupBuilder subscriber)
    {
        MapStatus(sim, subscriber, "activate", "activateSim", "activateSubscriber", SimStatus.Active);
        MapStatus(sim, subscriber, "deactivate", "deactivateSim", "deactivateSubscriber", SimStatus.Inactive);
        MapStatus(sim, subscriber, "set_to_standby", "setSimToStandby", "setSubscriberToStandby", SimStatus.Standby);
        MapStatus(sim, subscriber, "suspend", "suspendSim", "suspendSubscriber", SimStatus.Suspended);
        MapStatus(sim, subscriber, "terminate", "terminateSim", "terminateSubscriber", SimStatus.Terminated);

        MapChange(sim, subscriber, "enable_termination", "enableSimTermination", "enableTermination",
            NoBody(Sync((s, now) => s.SetTerminationEnabled(true, now))));
        MapChange(sim, subscriber, "disable_termination", "disableSimTermination", "disableTermination",
            NoBody(Sync((s, now) => s.SetTerminationEnabled(false, now))));

        MapChange(sim, subscriber, "update_speed_class", "updateSimSpeedClass", "updateSpeedClass", async (request, _, _) =>
        {
            var body = await JsonBody.ReadAsync<UpdateSpeedClassRequest>(request);
            var speedClass = SpeedClassRequest.Validate(body.SpeedClass);
            return Sync((s, now) => s.UpdateSpeedClass(speedClass, now));
        });

        MapChange(sim, subscriber, "set_group", "setSimGroup", "setGroup", async (request, access, _) =>
        {
            var body = await JsonBody.ReadAsync<SetGroupRequest>(request);
            var groupId = Require.NotEmpty(body.GroupId, "groupId");
            return async (s, now) =>
            {
                s.EnsureChangeable();
                await access.EnsureGroupAsync(groupId);
                s.SetGroup(groupId, now);
            };
        });

        MapChange(sim, subscriber, "unset_group", "unsetSimGroup", "unsetGroup", async (request, _, viaImsi) =>
        {
            await EnsureBodyWithinLimitAsync(request);
            return Sync((s, now) =>
            {
                // The subscriber API documents 404 when not in a group; the SIM API treats it as already done.
                if (!s.UnsetGroup(now) && viaImsi)
                {
                    throw new SimlaneException(ErrorCodes.NotInGroup);
                }
            });
        });

        MapChange(sim, subscriber, "set_imei_lock", "setSimImeiLock", "setImeiLock", async (request, access, _) =>
        {
            var body = await JsonBody.ReadAsync<SetImeiLockRequest>(request, required: false);
            var imei = body.Imei;
            if (imei is not null)
            {
                Imei.ValidateLock(imei);
            }

            return async (s, now) =>
            {
                s.EnsureChangeable();

                // Without an IMEI the current session's IMEI is locked; offline (or a session without IMEI) is 400.
                var current = imei is null ? await Simlane.Storage.SessionLedger.CurrentAsync(access.Db, s.SimId) : null;
                var locked = imei ?? (current is { Imei: { } sessionImei } && !Imei.IsAnonymous(sessionImei)
                    ? sessionImei
                    : throw new SimlaneException(ErrorCodes.ImeiRequiredOffline));
                s.SetImeiLock(locked, now);
            };
        });

        MapChange(sim, subscriber, "set_expiry_time", "setSimExpiryTime", "setExpiryTime", async (request, _, _) =>
        {
            var body = await JsonBody.ReadAsync<SetExpiryRequest>(request);
            var expiryTime = InputLimits.TimeMs(Require.Present(body.ExpiryTime, "expiryTime"), "expiryTime");
            var action = body.ExpiryAction is null ? null : Require.OneOf(body.ExpiryAction, "expiryAction", ExpiryActions.All);
            return Sync((s, now) => s.SetExpiry(expiryTime, action, now));
        });

        MapChange(sim, subscriber, "unset_expiry_time", "unsetSimExpiryTime", "unsetExpiryTime",
            (_, _, _) => Task.FromResult(Sync((s, now) => s.UnsetExpiry(now))));

        MapChange(sim, subscriber, "unset_imei_lock", "unsetSimImeiLock", "unsetImeiLock",
            NoBody(Sync((s, now) => s.UnsetImeiLock(now))));

        sim.MapPut("/{sim_id}/tags", async (string sim_id, HttpRequest request, SimAccess access) =>
            {
                var tags = await TagRequests.ReadAsync(request);
                var changed = await access.ChangeBySimIdAsync(sim_id, Sync((s, now) => s.PutTags(tags, now)));
                return Results.Json(await access.SimViewAsync(changed), Json.Options);
            })
            .WithName("putSimTags").Accepts<TagUpdateRequest[]>("application/json").Produces<SimView>();
        subscriber.MapPut("/{imsi}/tags", async (string imsi, HttpRequest request, SimAccess access) =>
            {
                var tags = await TagRequests.ReadAsync(request);
                var (changed, subscription) = await access.ChangeByImsiAsync(imsi, Sync((s, now) => s.PutTags(tags, now)));
                return Results.Json(await access.SubscriberViewAsync(changed, subscription), Json.Options);
            })
            .WithName("putSubscriberTags").Accepts<TagUpdateRequest[]>("application/json").Produces<SubscriberView>();
        sim.MapDelete("/{sim_id}/tags/{tag_name}", async (string sim_id, string tag_name, HttpContext context, SimAccess access) =>
            {
                var name = Paging.LastPathSegment(context, tag_name);
                await access.ChangeBySimIdAsync(sim_id, Sync((s, now) => s.DeleteTag(name, now)));
                return Results.NoContent();
            })
            .WithName("deleteSimTag").Produces(StatusCodes.Status204NoContent);
        subscriber.MapDelete("/{imsi}/tags/{tag_name}", async (string imsi, string tag_name, HttpContext context, SimAccess access) =>
            {
                var name = Paging.LastPathSegment(context, tag_name);
                await access.ChangeByImsiAsync(imsi, Sync((s, now) => s.DeleteTag(name, now)));
                return Results.NoContent();
            })
            .WithName("deleteSubscriberTag").Produces(StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// A change that takes no body. Whatever body is sent is not interpreted, but it is still held to the
    /// 1 MiB limit, so an oversized request is refused with 413 before anything changes.
    /// </summary>
    private static ChangeFactory NoBody(Func<Sim, long, Task> change) => async (request, _, _) =>
    {
        await EnsureBodyWithinLimitAsync(request);
        return change;
    };

    private static async Task EnsureBodyWithinLimitAsync(HttpRequest request)
    {
        if (request.ContentLength > JsonBody.MaxBytes)
        {
            throw new SimlaneException(ErrorCodes.BodyTooLarge);
        }

        var chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
            if (total > JsonBody.MaxBytes)
            {
                throw new SimlaneException(ErrorCodes.BodyTooLarge);
            }
        }
    }

    private static Func<Sim, long, Task> Sync(Action<Sim, long> change) => (s, now) =>
    {
        change(s, now);
        return Task.CompletedTask;
    };

    private static void MapStatus(RouteGroupBuilder sim, RouteGroupBuilder subscriber, string path, string simOperation, string subscriberOperation, SimStatus target) =>
        MapChange(sim, subscriber, path, simOperation, subscriberOperation,
            NoBody(Sync((s, now) => s.ChangeStatus(target, now))));

    private static void MapChange(RouteGroupBuilder sim, RouteGroupBuilder subscriber, string path, string simOperation, string subscriberOperation, ChangeFactory factory)
    {
        sim.MapPost($"/{{sim_id}}/{path}", async (string sim_id, HttpRequest request, SimAccess access) =>
            {
                var change = await factory(request, access, false);
                var changed = await access.ChangeBySimIdAsync(sim_id, change);
                return Results.Json(await access.SimViewAsync(changed), Json.Options);
            })
            .WithName(simOperation).Produces<SimView>();

        subscriber.MapPost($"/{{imsi}}/{path}", async (string imsi, HttpRequest request, SimAccess access) =>
            {
                var change = await factory(request, access, true);
                var (changed, subscription) = await access.ChangeByImsiAsync(imsi, change);
                return Results.Json(await access.SubscriberViewAsync(changed, subscription), Json.Options);
            })
            .WithName(subscriberOperation).Produces<SubscriberView>();
    }
}
