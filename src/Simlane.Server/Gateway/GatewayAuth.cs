using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Gateway;

/// <summary>
/// Who is calling /v1/gateway: the packet gateway itself (platform: every registered SIM), or, in sandbox
/// mode only, an operator with its own SORACOM credentials (its own SIMs only; another operator's SIM is
/// treated exactly like an unknown one).
/// </summary>
public sealed class GatewayCaller
{
    public bool IsPlatform { get; private set; }

    /// <summary>Set for a sandbox operator; null for the platform gateway.</summary>
    public string? OperatorId { get; private set; }

    /// <summary>The SIMs this caller may report sessions and usage for.</summary>
    public IQueryable<Sim> Scope(IQueryable<Sim> sims) =>
        OperatorId is null ? sims.Where(s => s.OperatorId != null) : sims.Where(s => s.OperatorId == OperatorId);

    internal void SetPlatform() => IsPlatform = true;

    internal void SetOperator(string operatorId) => OperatorId = operatorId;
}

public static class GatewayAuth
{
    public const string KeyHeader = "X-Simlane-Gateway-Key";

    /// <summary>Endpoint filter for the /v1/gateway group (the SORACOM auth middleware skips it).</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        await AuthenticateAsync(context.HttpContext);
        return await next(context);
    }

    private static async Task AuthenticateAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<SimlaneOptions>>().Value;
        var caller = services.GetRequiredService<GatewayCaller>();
        var presented = http.Request.Headers[KeyHeader].ToString();
        if (presented.Length > 0)
        {
            if (string.IsNullOrEmpty(options.GatewayKey) || !Matches(presented, options.GatewayKey))
            {
                throw new SimlaneException(ErrorCodes.GatewayUnauthorized);
            }

            caller.SetPlatform();
            return;
        }

        var apiKey = http.Request.Headers["X-Soracom-API-Key"].ToString();
        var token = http.Request.Headers["X-Soracom-Token"].ToString();
        if (options.Sandbox && apiKey.Length > 0 && token.Length > 0)
        {
            var operatorId = await services.GetRequiredService<TokenService>().AuthenticateAsync(apiKey, token)
                ?? throw new SimlaneException(ErrorCodes.InvalidToken);
            caller.SetOperator(operatorId);
            services.GetRequiredService<Caller>().Set(operatorId, apiKey);
            return;
        }

        throw new SimlaneException(ErrorCodes.GatewayUnauthorized);
    }

    /// <summary>Constant-time comparison of fixed-length digests, so neither content nor length leaks.</summary>
    private static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
