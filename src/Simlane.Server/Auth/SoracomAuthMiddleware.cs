using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Auth;

/// <summary>
/// Authenticates every /v1 request with <c>X-Soracom-API-Key</c> and <c>X-Soracom-Token</c>, except
/// routes marked <see cref="AnonymousAttribute"/>. Missing headers answer 401 AUM0001; a wrong, expired
/// or revoked pair answers 401 AUM0006.
/// </summary>
public sealed class SoracomAuthMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, Caller caller, TokenService tokens)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<AnonymousAttribute>() is not null || !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var apiKey = context.Request.Headers["X-Soracom-API-Key"].ToString();
        var token = context.Request.Headers["X-Soracom-Token"].ToString();
        if (string.IsNullOrEmpty(apiKey) || string.IsNullOrEmpty(token))
        {
            await ApiErrors.WriteAsync(context, ErrorCodes.CredentialsRequired);
            return;
        }

        var operatorId = await tokens.AuthenticateAsync(apiKey, token);
        if (operatorId is null)
        {
            await ApiErrors.WriteAsync(context, ErrorCodes.InvalidToken);
            return;
        }

        caller.Set(operatorId, apiKey);
        await next(context);
    }
}
