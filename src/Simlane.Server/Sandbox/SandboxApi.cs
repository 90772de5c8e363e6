using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Sandbox;

/// <summary>
/// <c>/v1/sandbox/*</c> (mapped only with <c>--sandbox</c>): one-step operator sign-up and test SIMs.
/// The production credentials that SORACOM's sandbox checks are required but not verified here.
/// </summary>
public static class SandboxApi
{
    public static void Map(RouteGroupBuilder sandbox)
    {
        sandbox.WithTags("API Sandbox");
        sandbox.MapPost("/init", InitAsync).WithName("sandboxInitializeOperator").WithMetadata(new AnonymousAttribute())
            .Accepts<InitRequest>("application/json").Produces<SandboxAuthResponse>(StatusCodes.Status201Created);
        sandbox.MapPost("/subscribers/create", CreateSubscriberAsync).WithName("sandboxCreateSubscriber")
            .Accepts<CreateSubscriberRequest>("application/json").Produces<CreateSubscriberResponse>();
        SandboxOperators.Map(sandbox);
    }

    public sealed class InitRequest
    {
        public string? Email { get; set; }

        public string? Password { get; set; }

        public string? AuthKeyId { get; set; }

        public string? AuthKey { get; set; }

        public List<string>? CoverageTypes { get; set; }

        public bool? RegisterPaymentMethod { get; set; }
    }

    public sealed record SandboxAuthResponse(string ApiKey, string OperatorId, string Token);

    public sealed class CreateSubscriberRequest
    {
        public string? Subscription { get; set; }

        public List<string>? Bundles { get; set; }

        /// <summary>SORACOM's own example spells the field in the singular.</summary>
        public List<string>? Bundle { get; set; }
    }

    public sealed record CreateSubscriberResponse(
        string Imsi, string Msisdn, string SerialNumber, string RegistrationSecret, string Apn, string SpeedClass,
        string Status, string Subscription, IReadOnlyDictionary<string, string> Tags, long CreatedAt, long LastModifiedAt);

    private static async Task<IResult> InitAsync(HttpRequest request, TokenService tokens, Microsoft.Extensions.Options.IOptions<SimlaneOptions> options)
    {
        var body = await JsonBody.ReadAsync<InitRequest>(request);
        InputLimits.Name(Require.NotEmpty(body.Email, "email"), "email", InputLimits.EmailMax);
        var password = InputLimits.Length(Require.NotEmpty(body.Password, "password"), "password", InputLimits.PasswordMax);
        InputLimits.Name(Require.NotEmpty(body.AuthKeyId, "authKeyId"), "authKeyId", InputLimits.IdentifierMax);
        InputLimits.Length(Require.NotEmpty(body.AuthKey, "authKey"), "authKey", InputLimits.SecretMax);
        foreach (var coverage in body.CoverageTypes ?? [])
        {
            Require.OneOf(coverage, "coverageTypes", ["jp", "g"]);
        }

        var account = await tokens.CreateOperatorAsync(body.Email!, password);
        var (apiKey, token) = await tokens.IssueAsync(account.OperatorId, null, TokenService.DefaultTimeoutSeconds);
        return Results.Json(new SandboxAuthResponse(apiKey, account.OperatorId, token), Json.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateSubscriberAsync(HttpRequest request, SimInventory inventory, SimlaneDb db, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<CreateSubscriberRequest>(request, required: false);
        var sandboxPlans = Plans.All.Where(p => !p.IsVirtual && p.Name != "plan-US").Select(p => p.Name).ToList();
        var subscription = body.Subscription is null ? Plans.Plan01s : Require.OneOf(body.Subscription, "subscription", sandboxPlans);
        var bundles = body.Bundles ?? body.Bundle ?? [];
        var (simId, imsi, msisdn) = await inventory.NewIdentifiersAsync();
        var secret = Core.Security.Secrets.RandomDigits(8);
        var serial = "SN" + Core.Security.Secrets.RandomDigits(12);
        var now = clock.NowMs();
        var sim = SimInventory.NewPhysical(new NewPhysicalSim(simId, imsi, msisdn, serial, secret, subscription, bundles), now);
        db.Sims.Add(sim);
        await db.SaveChangesAsync();
        return Results.Json(
            new CreateSubscriberResponse(imsi, msisdn, serial, secret, SimViews.Apn, sim.SpeedClass, sim.Status.ToWire(), subscription,
                SimViews.TagSet([]), now, now),
            Json.Options);
    }
}
