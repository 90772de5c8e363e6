using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Gateway;

/// <summary>Shared steps for the session and gateway tests.</summary>
public static class SessionTestKit
{
    public const string Imei1 = "490154203237518";
    public const string Imei2 = "356938035643809";

    public static string PrimaryImsi(this ApiResponse sim) => sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();

    /// <summary>Asks the gateway for a session; answers the 200 body.</summary>
    public static async Task<ApiResponse> OpenSessionAsync(this ApiClient gateway, string imsi, string? imei = Imei1, object? extra = null)
    {
        object body = extra ?? (imei is null ? new { imsi } : new { imsi, imei });
        return (await gateway.PostAsync("/v1/gateway/sessions", body)).ShouldBe(HttpStatusCode.OK);
    }

    public static async Task<string> AcceptedSessionAsync(this ApiClient gateway, string imsi, string? imei = Imei1)
    {
        var answer = await gateway.OpenSessionAsync(imsi, imei);
        answer.Json["accepted"]!.GetValue<bool>().ShouldBeTrue(answer.Text);
        return answer.Str("sessionId");
    }

    public static void ShouldBeRefused(this ApiResponse answer, string reason)
    {
        answer.Json["accepted"]!.GetValue<bool>().ShouldBeFalse(answer.Text);
        answer.Str("reason").ShouldBe(reason);
        answer.Json.AsObject().ContainsKey("sessionId").ShouldBeFalse();
    }

    public static async Task<List<(string Type, string? Imsi, string? Old, string? New)>> DomainEventsAsync(this ServerFixture server, string simId)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var rows = await db.DomainEvents.Where(e => e.SimId == simId).OrderBy(e => e.Id).ToListAsync();
        return rows.Select(e => (e.Type, e.Imsi, e.OldValue, e.NewValue)).ToList();
    }

    public static async Task<List<string>> SessionEventsAsync(this ApiClient op, string simId)
    {
        var events = (await op.GetAsync($"/v1/sims/{simId}/events/sessions")).ShouldBe(HttpStatusCode.OK).Array;
        return events.Select(e => e!["event"]!.GetValue<string>()).ToList();
    }

    public static async Task<ApiResponse> GetSimAsync(this ApiClient op, string simId) =>
        (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK);

    public static bool Online(this ApiResponse sim) => sim.Json["sessionStatus"]!["online"]!.GetValue<bool>();
}
