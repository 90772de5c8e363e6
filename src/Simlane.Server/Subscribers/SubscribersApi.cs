using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;

namespace Simlane.Server.Subscribers;

/// <summary><c>/v1/subscribers/{imsi}</c>: the IMSI-keyed legacy view and registration.</summary>
public static class SubscribersApi
{
    public static void Map(RouteGroupBuilder subscribers)
    {
        subscribers.MapGet("/{imsi}", async (string imsi, SimAccess access) =>
            {
                var (sim, subscription) = await access.GetByImsiAsync(imsi);
                return Results.Json(await access.SubscriberViewAsync(sim, subscription), Json.Options);
            })
            .WithName("getSubscriber").Produces<SubscriberView>();
        subscribers.MapPost("/{imsi}/register", async (string imsi, HttpRequest request, Registration registration) =>
            {
                var sim = await registration.RegisterAsync(request, s => s.Subscriptions.Any(x => x.Imsi == imsi && x.IsPrimary), ErrorCodes.SubscriberNotFound, imsi);
                return Results.Json(sim.ToSubscriberView(sim.Subscriptions.Single(x => x.Imsi == imsi), SimSessions.None), Json.Options, statusCode: StatusCodes.Status201Created);
            })
            .WithName("registerSubscriber").Accepts<RegisterRequest>("application/json").Produces<SubscriberView>(StatusCodes.Status201Created);
    }
}
