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
public sealed class RadiusRequestHandler(
    IServiceScopeFactory scopes, SessionAdmissionReads admissions, IOptions<RadiusOptions> options, RadiusAccounting accounting, TimeProvider clock)
    : IRadiusRequestHandler
{
    public async Task<RadiusAccessDecision> HandleAccessAsync(RadiusRequest request, CancellationToken cancellationToken)
    {
        if (RadiusSubscriber.Imsi(request.Packet) is not { } imsi)
        {
            return RadiusAccessDecision.Reject(SessionRefusals.UnknownImsi);
        }

        var (imei, _) = RadiusSubscriber.Imei(request.Packet);
        var (refusal, speedClass) = await DecideAsync(imsi, imei, cancellationToken);
        if (refusal is not null)
        {
            return RadiusAccessDecision.Reject(refusal);
        }

        var radius = options.Value;
        var attributes = new List<RadiusAttributeValue>(radius.RateAttributes(speedClass!));
        if (radius.InterimIntervalSeconds > 0)
        {
            attributes.Add(RadiusAttributeValue.FromNumber(RadiusAttributes.AcctInterimInterval, (uint)radius.InterimIntervalSeconds));
        }

        return RadiusAccessDecision.Accept(attributes);
    }

    /// <summary>
    /// The admission decision and the SIM's speed class. Most requests are for an active SIM and change nothing: they are
    /// decided from <see cref="SessionAdmissionReads"/> alone. When the decision changes the SIM (ready or standby becomes
    /// active, an ImeiMismatched event), it is made again on the tracked SIM and saved (<see cref="SessionAdmission"/>), so
    /// the answer and its side effects come from one read.
    /// </summary>
    private async Task<(string? Refusal, string? SpeedClass)> DecideAsync(string imsi, string? imei, CancellationToken cancellationToken)
    {
        var now = clock.NowMs();
        if (await admissions.ReadAsync(imsi, cancellationToken) is not { } facts)
        {
            return (SessionRefusals.UnknownImsi, null);
        }

        var refusal = facts.Decide(imei, now);
        if (!facts.Writes(refusal))
        {
            return (refusal, facts.SpeedClass);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var caller = scope.ServiceProvider.GetRequiredService<GatewayCaller>();
        caller.SetPlatform();
        var decision = await SessionAdmission.RetryAsync(db, () => SessionAdmission.DecideAsync(db, caller, imsi, imei, now, saveAdmitted: true, cancellationToken));
        return (decision.Refusal, decision.Sim?.SpeedClass);
    }

    public Task HandleAccountingAsync(RadiusRequest request, CancellationToken cancellationToken) =>
        accounting.SubmitAsync(request, cancellationToken);
}
