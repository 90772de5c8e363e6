using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Actions;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Credentials;

/// <summary>
/// <c>/v1/credentials</c>: the operator's credential sets (docs/actions.md, "Credentials"). Secrets are
/// encrypted before they are stored and never answered: responses carry only the type's non-secret fields.
/// Another operator's set answers exactly like a missing one (each operator has its own ID space).
/// </summary>
public static class CredentialsApi
{
    public static void Map(RouteGroupBuilder credentials)
    {
        credentials.MapGet("/", ListAsync).WithName("listCredentials").Produces<JsonArray>();
        credentials.MapPost("/{credentials_id}", CreateAsync).WithName("createCredential").Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created);
        credentials.MapPut("/{credentials_id}", UpdateAsync).WithName("updateCredential").Accepts<JsonObject>("application/json").Produces<JsonObject>();
        credentials.MapDelete("/{credentials_id}", DeleteAsync).WithName("deleteCredential").Produces(StatusCodes.Status204NoContent);
    }

    /// <summary>The <c>CredentialsModel</c> of a row: times in epoch seconds, only the non-secret fields.</summary>
    public static JsonObject Model(CredentialRow row)
    {
        var model = new JsonObject
        {
            ["credentialsId"] = row.CredentialsId,
            ["type"] = row.Type,
            ["credentials"] = JsonNode.Parse(row.PublicCredentials),
            ["createDateTime"] = row.CreatedTime / 1000,
            ["updateDateTime"] = row.UpdatedTime / 1000,
            ["lastUsedDateTime"] = (row.LastUsedTime ?? 0) / 1000,
        };
        if (row.Description is not null)
        {
            model["description"] = row.Description;
        }

        return model;
    }

    private static async Task<IResult> ListAsync(HttpContext context, SimlaneDb db, Caller caller)
    {
        var rows = await db.Credentials.AsNoTracking().Where(c => c.OperatorId == caller.OperatorId)
            .OrderBy(c => c.CredentialsId).ToListAsync(context.RequestAborted);
        return Results.Json(new JsonArray([.. rows.Select(Model)]), Json.Options);
    }

    private static async Task<IResult> CreateAsync(string credentials_id, HttpRequest request, SimlaneDb db, Caller caller, SecretProtector protector, TimeProvider clock)
    {
        var valid = CredentialTypes.Validate(credentials_id, await JsonBody.ReadNodeAsync(request));
        if (await db.Credentials.AnyAsync(c => c.OperatorId == caller.OperatorId && c.CredentialsId == credentials_id))
        {
            throw Exists(credentials_id);
        }

        var now = clock.NowMs();
        var row = new CredentialRow
        {
            OperatorId = caller.OperatorId,
            CredentialsId = credentials_id,
            Type = valid.Type,
            Description = valid.Description,
            PublicCredentials = valid.PublicJson,
            ProtectedCredentials = protector.Protect(CredentialStore.Purpose(caller.OperatorId, credentials_id), valid.SecretJson),
            CreatedTime = now,
            UpdatedTime = now,
        };
        db.Credentials.Add(row);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A concurrent create of the same ID won between the check and the insert.
            throw Exists(credentials_id);
        }

        return Results.Json(Model(row), Json.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>A full replacement: type, credentials and description are all taken from the body (a missing description removes it).</summary>
    private static async Task<IResult> UpdateAsync(string credentials_id, HttpRequest request, SimlaneDb db, Caller caller, SecretProtector protector, TimeProvider clock)
    {
        var row = await FindAsync(db, caller, credentials_id);
        var valid = CredentialTypes.Validate(credentials_id, await JsonBody.ReadNodeAsync(request));
        row.Type = valid.Type;
        row.Description = valid.Description;
        row.PublicCredentials = valid.PublicJson;
        row.ProtectedCredentials = protector.Protect(CredentialStore.Purpose(caller.OperatorId, credentials_id), valid.SecretJson);
        row.UpdatedTime = clock.NowMs();
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted or replaced concurrently: deleted answers like a missing set; a lost race may be retried.
            db.ChangeTracker.Clear();
            _ = await FindAsync(db, caller, credentials_id);
            throw new SimlaneException(ErrorCodes.Conflict);
        }

        return Results.Json(Model(row), Json.Options);
    }

    private static async Task<IResult> DeleteAsync(string credentials_id, SimlaneDb db, Caller caller)
    {
        var deleted = await db.Credentials.Where(c => c.OperatorId == caller.OperatorId && c.CredentialsId == credentials_id).ExecuteDeleteAsync();
        return deleted == 0 ? throw NotFound(credentials_id) : Results.NoContent();
    }

    private static async Task<CredentialRow> FindAsync(SimlaneDb db, Caller caller, string credentialsId) =>
        await db.Credentials.SingleOrDefaultAsync(c => c.OperatorId == caller.OperatorId && c.CredentialsId == credentialsId)
        ?? throw NotFound(credentialsId);

    private static SimlaneException NotFound(string credentialsId) =>
        new(ErrorCodes.CredentialsNotFound, $"No credential set '{Shorten(credentialsId)}'");

    private static SimlaneException Exists(string credentialsId) =>
        new(ErrorCodes.CredentialsExist, $"Credential set '{credentialsId}' already exists; update it with PUT /v1/credentials/{credentialsId}");

    /// <summary>An unknown ID comes from the URL and may be anything; keep the message short.</summary>
    private static string Shorten(string value) => value.Length <= CredentialTypes.MaxIdLength ? value : value[..CredentialTypes.MaxIdLength] + "…";
}
