using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;
using Simlane.Server.Scheduling;

namespace Simlane.Server.Sandbox;

/// <summary>
/// <c>GET/POST /v1/sandbox/clock</c>: read or move the server clock forward (sandbox mode only). The
/// POST answers only after every timer due by the new time has fired and committed.
/// </summary>
public static class SandboxClockApi
{
    public static void Map(RouteGroupBuilder sandbox)
    {
        sandbox.MapGet("/clock", (SandboxClock clock) => Results.Json(new ClockResponse(clock.NowMs), Json.Options))
            .WithName("sandboxGetClock").Produces<ClockResponse>();
        sandbox.MapPost("/clock", AdvanceAsync).WithName("sandboxSetClock").Accepts<ClockRequest>("application/json").Produces<ClockResponse>();
    }

    public sealed class ClockRequest
    {
        public long? Now { get; set; }

        public long? AdvanceSeconds { get; set; }
    }

    public sealed record ClockResponse(long Now);

    private static async Task<IResult> AdvanceAsync(HttpRequest request, SandboxClock clock)
    {
        var body = await JsonBody.ReadAsync<ClockRequest>(request);
        if (body.Now.HasValue == body.AdvanceSeconds.HasValue)
        {
            throw new SimlaneException(ErrorCodes.ClockRequestInvalid);
        }

        long target;
        if (body.AdvanceSeconds is { } seconds)
        {
            if (seconds < 0)
            {
                throw new SimlaneException(ErrorCodes.ClockBackwards, "advanceSeconds must not be negative");
            }

            try
            {
                target = checked(clock.NowMs + (seconds * 1000));
            }
            catch (OverflowException)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, "advanceSeconds is too large");
            }
        }
        else
        {
            target = body.Now!.Value;
        }

        InputLimits.TimeMs(target, body.Now.HasValue ? "now" : "now + advanceSeconds");

        var now = body.AdvanceSeconds is { } delta
            ? await clock.AdvanceByAsync(delta * 1000, request.HttpContext.RequestAborted)
            : await clock.AdvanceToAsync(target, request.HttpContext.RequestAborted);
        return Results.Json(new ClockResponse(now), Json.Options);
    }
}
