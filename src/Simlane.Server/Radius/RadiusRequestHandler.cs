using Microsoft.Extensions.Options;
using Simlane.Core.Sims;
using Simlane.Radius.Codec;
using Simlane.Radius.Server;
using Simlane.Server.Gateway;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Radius;

/// <summary>
/// The server's answer to RADIUS (docs/radius.md). Access-Request: the same admission as <c>POST /v1/gateway/sessions</c>
/// (<see cref="SessionAdmission"/>) for every registered SIM, without opening a session (that happens on Accounting-Start).
/// Accounting-Request: <see cref="RadiusAccounting"/>, answered only after its batch committed.
/// </summary>
public sealed class RadiusRequestHandler(IServiceScopeFactory scopes, IOptions<RadiusOptions> options, RadiusAccounting accounting, TimeProvider clock)
    : IRadiusRequestHandler
{
    public async Task<RadiusAccessDecision> HandleAccessAsync(RadiusRequest request, CancellationToken cancellationToken)
    {
        if (RadiusSubscriber.Imsi(request.Packet) is not { } imsi)
        {
            return RadiusAccessDecision.Reject(SessionRefusals.UnknownImsi);
        }

        var (imei, _) = RadiusSubscriber.Imei(request.Packet);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var caller = scope.ServiceProvider.GetRequiredService<GatewayCaller>();
        caller.SetPlatform();
        var decision = await SessionAdmission.DecideReadOnlyFirstAsync(db, caller, imsi, imei, clock.NowMs(), cancellationToken);
        if (!decision.Admitted)
        {
            return RadiusAccessDecision.Reject(decision.Refusal);
        }

        var radius = options.Value;
        var attributes = new List<RadiusAttributeValue>(radius.RateAttributes(decision.Sim!.SpeedClass));
        if (radius.InterimIntervalSeconds > 0)
        {
            attributes.Add(RadiusAttributeValue.FromNumber(RadiusAttributes.AcctInterimInterval, (uint)radius.InterimIntervalSeconds));
        }

        return RadiusAccessDecision.Accept(attributes);
    }

    public Task HandleAccountingAsync(RadiusRequest request, CancellationToken cancellationToken) =>
        accounting.SubmitAsync(request, cancellationToken);
}
