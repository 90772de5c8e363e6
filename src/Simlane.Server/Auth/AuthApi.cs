using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Auth;

/// <summary><c>POST /v1/auth</c> and <c>POST /v1/auth/logout</c> (domain.md 1.1).</summary>
public static class AuthApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/auth", AuthAsync).WithName("auth").WithTags("Auth").WithMetadata(new AnonymousAttribute())
            .Accepts<AuthRequest>("application/json").Produces<AuthResponse>();
        v1.MapPost("/auth/logout", LogoutAsync).WithName("logout").WithTags("Auth").Produces(StatusCodes.Status204NoContent);
    }

    public sealed class AuthRequest
    {
        public string? Email { get; set; }

        public string? Password { get; set; }

        public string? AuthKeyId { get; set; }

        public string? AuthKey { get; set; }

        public string? OperatorId { get; set; }

        public string? UserName { get; set; }

        public string? MfaOTPCode { get; set; }

        public long? TokenTimeoutSeconds { get; set; }
    }

    public sealed record AuthResponse(string ApiKey, string OperatorId, string Token);

    private static async Task<IResult> AuthAsync(HttpRequest request, SimlaneDb db, TokenService tokens, SignInVerifier verifier, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<AuthRequest>(request);
        var timeout = TokenService.ValidateTimeout(body.TokenTimeoutSeconds);
        var byPassword = body.Email is not null || body.Password is not null;
        var byKey = body.AuthKeyId is not null || body.AuthKey is not null;

        if (body.UserName is not null && body.OperatorId is not null && !byKey)
        {
            throw new SimlaneException(ErrorCodes.SamUsersUnsupported);
        }

        if (byPassword == byKey || (byPassword && (string.IsNullOrEmpty(body.Email) || string.IsNullOrEmpty(body.Password)))
            || (byKey && (string.IsNullOrEmpty(body.AuthKeyId) || string.IsNullOrEmpty(body.AuthKey))))
        {
            throw new SimlaneException(ErrorCodes.InvalidAuthRequest);
        }

        if (byPassword)
        {
            InputLimits.Name(body.Email!, "email", InputLimits.EmailMax);
            InputLimits.Length(body.Password!, "password", InputLimits.PasswordMax);
        }
        else
        {
            InputLimits.Name(body.AuthKeyId!, "authKeyId", InputLimits.IdentifierMax);
            InputLimits.Length(body.AuthKey!, "authKey", InputLimits.SecretMax);
        }

        if (byPassword)
        {
            var email = body.Email!.Trim().ToLowerInvariant();
            var account = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.Email == email);
            // One verification of the same cost whether or not the email exists (docs/api.md, sign-in timing).
            if (!verifier.Verify(body.Password!, account?.PasswordHash) || account is null)
            {
                throw new SimlaneException(ErrorCodes.InvalidEmailOrPassword);
            }

            var (apiKey, token) = await tokens.IssueAsync(account.OperatorId, null, timeout);
            return Results.Json(new AuthResponse(apiKey, account.OperatorId, token), Json.Options);
        }

        var key = await db.AuthKeys.SingleOrDefaultAsync(k => k.AuthKeyId == body.AuthKeyId);
        if (!verifier.Verify(body.AuthKey!, key?.SecretHash) || key is null)
        {
            throw new SimlaneException(ErrorCodes.InvalidAuthKey);
        }

        key.LastUsedTime = clock.NowMs();
        await db.SaveChangesAsync();
        var issued = await tokens.IssueAsync(key.OperatorId, key.AuthKeyId, timeout);
        return Results.Json(new AuthResponse(issued.ApiKey, key.OperatorId, issued.Token), Json.Options);
    }

    private static async Task<IResult> LogoutAsync(Caller caller, TokenService tokens)
    {
        await tokens.RevokeAsync(caller.ApiKey);
        return Results.NoContent();
    }
}
