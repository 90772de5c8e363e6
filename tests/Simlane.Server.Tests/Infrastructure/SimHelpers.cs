using System.Net;

namespace Simlane.Server.Tests.Infrastructure;

public static class SimHelpers
{
    /// <summary>Creates a sandbox SIM (inventory) and answers the create response (imsi, registrationSecret…).</summary>
    public static async Task<ApiResponse> CreateSandboxSubscriberAsync(this ApiClient op, object? body = null)
    {
        var created = await op.PostAsync("/v1/sandbox/subscribers/create", body ?? new { });
        return created.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Creates a sandbox SIM and registers it to <paramref name="op"/>; answers the Sim view.</summary>
    public static async Task<ApiResponse> CreateRegisteredSimAsync(this ApiClient op, string subscription = "plan01s")
    {
        var created = await op.CreateSandboxSubscriberAsync(new { subscription });
        var imsi = created.Str("imsi");
        var secret = created.Str("registrationSecret");
        var registered = (await op.PostAsync($"/v1/subscribers/{imsi}/register", new { registrationSecret = secret })).ShouldBe(HttpStatusCode.Created);
        return (await op.GetAsync($"/v1/sims/{registered.Str("simId")}")).ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Creates a sandbox SIM (plan01s) and registers it to <paramref name="op"/>; answers its simId and IMSI.</summary>
    public static async Task<(string SimId, string Imsi)> RegisterSimAsync(this ApiClient op)
    {
        var created = await op.CreateSandboxSubscriberAsync(new { subscription = "plan01s" });
        var imsi = created.Str("imsi");
        var sim = (await op.PostAsync($"/v1/subscribers/{imsi}/register", new { registrationSecret = created.Str("registrationSecret") })).ShouldBe(HttpStatusCode.Created);
        return (sim.Str("simId"), imsi);
    }
}
