using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Actions;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Operators;

/// <summary>
/// <c>/v1/operators/{operator_id}</c>: the caller's own operator, its tokens and auth keys. Any other
/// operator ID, existing or not, answers the same 400 (the spec's "invalid operator ID").
/// </summary>
public static class OperatorsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/operators/{operator_id}").WithTags("Operator");
        group.MapGet("/", GetAsync).WithName("getOperator").Produces<OperatorResponse>();
        group.MapPost("/token", GenerateTokenAsync).WithName("generateAuthToken").Accepts<TokenRequest>("application/json").Produces<TokenResponse>();
        group.MapDelete("/tokens", RevokeTokensAsync).WithName("revokeOperatorAuthTokens").Produces(StatusCodes.Status204NoContent);
        group.MapPost("/password", UpdatePasswordAsync).WithName("updateOperatorPassword").Accepts<PasswordRequest>("application/json").Produces(StatusCodes.Status200OK);
        group.MapGet("/auth_keys", ListAuthKeysAsync).WithName("listOperatorAuthKeys").Produces<AuthKeyResponse[]>();
        group.MapPost("/auth_keys", GenerateAuthKeyAsync).WithName("generateOperatorAuthKey").Produces<GeneratedAuthKey>(StatusCodes.Status201Created);
        group.MapDelete("/auth_keys/{auth_key_id}", DeleteAuthKeyAsync).WithName("deleteOperatorAuthKey").Produces(StatusCodes.Status204NoContent);

        // Simlane extension (docs/actions.md): the secret that signs the operator's web request actions.
        group.MapPost("/webhook_secret", RotateWebhookSecretAsync).WithName("rotateWebhookSecret").Produces<WebhookSecretResponse>();
    }

    public sealed record OperatorResponse(string OperatorId, string RootOperatorId, string Email, string Description, string CreateDate, string UpdateDate);

    public sealed class TokenRequest
    {
        public long? TokenTimeoutSeconds { get; set; }
    }

    public sealed record TokenResponse(string Token);

    public sealed class PasswordRequest
    {
        public string? CurrentPassword { get; set; }

        public string? NewPassword { get; set; }
    }

    public sealed record AuthKeyResponse(string AuthKeyId, long CreateDateTime, long? LastUsedDateTime);

    public sealed record GeneratedAuthKey(string AuthKeyId, string AuthKey);

    public sealed record WebhookSecretResponse(string Secret);

    private static void EnsureSelf(string operatorId, Caller caller)
    {
        if (!string.Equals(operatorId, caller.OperatorId, StringComparison.Ordinal))
        {
            throw new SimlaneException(ErrorCodes.InvalidOperatorId, $"Invalid operator ID '{operatorId}'");
        }
    }

    private static async Task<IResult> GetAsync(string operator_id, Caller caller, SimlaneDb db)
    {
        EnsureSelf(operator_id, caller);
        var account = await db.Operators.AsNoTracking().SingleAsync(o => o.OperatorId == operator_id);
        return Results.Json(
            new OperatorResponse(account.OperatorId, account.OperatorId, account.Email, account.Description, FormatDate(account.CreatedTime), FormatDate(account.UpdatedTime)),
            Json.Options);
    }

    private static async Task<IResult> GenerateTokenAsync(string operator_id, HttpRequest request, Caller caller, TokenService tokens)
    {
        EnsureSelf(operator_id, caller);
        var body = await JsonBody.ReadAsync<TokenRequest>(request, required: false);
        var timeout = TokenService.ValidateTimeout(body.TokenTimeoutSeconds);
        var token = await tokens.GenerateAsync(caller.ApiKey, timeout);
        return Results.Json(new TokenResponse(token), Json.Options);
    }

    /// <summary>Ends every API key and token of the operator, the one making this call included.</summary>
    private static async Task<IResult> RevokeTokensAsync(string operator_id, Caller caller, TokenService tokens)
    {
        EnsureSelf(operator_id, caller);
        await tokens.RevokeAllAsync(operator_id);
        return Results.NoContent();
    }

    private static async Task<IResult> UpdatePasswordAsync(string operator_id, HttpRequest request, Caller caller, TokenService tokens)
    {
        EnsureSelf(operator_id, caller);
        var body = await JsonBody.ReadAsync<PasswordRequest>(request);
        var current = body.CurrentPassword is null or "" ? throw new SimlaneException(ErrorCodes.MissingField, "currentPassword is required") : body.CurrentPassword;
        var next = body.NewPassword is null or "" ? throw new SimlaneException(ErrorCodes.MissingField, "newPassword is required") : body.NewPassword;
        await tokens.ChangePasswordAsync(operator_id, caller.ApiKey, current, next);
        return Results.Ok();
    }

    private static async Task<IResult> ListAuthKeysAsync(string operator_id, Caller caller, SimlaneDb db)
    {
        EnsureSelf(operator_id, caller);
        var keys = await db.AuthKeys.AsNoTracking().Where(k => k.OperatorId == operator_id).OrderBy(k => k.CreatedTime).ThenBy(k => k.AuthKeyId).ToListAsync();
        return Results.Json(keys.Select(k => new AuthKeyResponse(k.AuthKeyId, k.CreatedTime / 1000, k.LastUsedTime / 1000)), Json.Options);
    }

    private static async Task<IResult> GenerateAuthKeyAsync(string operator_id, Caller caller, TokenService tokens)
    {
        EnsureSelf(operator_id, caller);
        var (id, secret) = await tokens.GenerateAuthKeyAsync(operator_id);
        return Results.Json(new GeneratedAuthKey(id, secret), Json.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAuthKeyAsync(string operator_id, string auth_key_id, Caller caller, SimlaneDb db)
    {
        EnsureSelf(operator_id, caller);
        var key = await db.AuthKeys.SingleOrDefaultAsync(k => k.AuthKeyId == auth_key_id && k.OperatorId == operator_id)
            ?? throw new SimlaneException(ErrorCodes.AuthKeyNotFound, $"No AuthKey '{auth_key_id}'");
        var account = await db.Operators.AsNoTracking().SingleAsync(o => o.OperatorId == operator_id);
        if (account.PasswordHash is null && await db.AuthKeys.CountAsync(k => k.OperatorId == operator_id) == 1)
        {
            throw new SimlaneException(ErrorCodes.LastAuthKey);
        }

        db.AuthKeys.Remove(key);
        await db.ApiTokens.Where(t => t.AuthKeyId == auth_key_id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true));
        await db.SaveChangesAsync();
        return Results.NoContent();
    }

    /// <summary>
    /// Replaces the operator's webhook signing secret and answers the new one; it is never shown again.
    /// Requests signed from now on (retries of earlier deliveries included) use the new secret.
    /// </summary>
    private static async Task<IResult> RotateWebhookSecretAsync(string operator_id, HttpContext context, Caller caller, WebhookSigningSecrets secrets)
    {
        EnsureSelf(operator_id, caller);
        var secret = await secrets.RotateAsync(operator_id, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new WebhookSecretResponse(secret), Json.Options);
    }

    /// <summary>Operator dates are strings in the spec; Simlane writes ISO-8601 UTC.</summary>
    private static string FormatDate(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
