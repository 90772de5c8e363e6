using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Actions;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Credentials;

/// <summary>
/// Reads a credential set back for an action (InvokeAWSLambdaAction): loads the row of the operator through
/// its own scoped <see cref="SimlaneDb"/>, decrypts the secret part and records <c>lastUsedDateTime</c>.
/// A singleton, so that singleton executors can use it. The decrypted values never leave the process through
/// logs or errors: callers must keep them out of <see cref="ActionOutcome.Error"/>.
/// </summary>
public sealed class CredentialStore(IServiceScopeFactory scopes, SecretProtector protector, TimeProvider clock)
{
    /// <summary>
    /// The Data Protection purpose of one set: bound to the operator and the ID, so a ciphertext copied into
    /// another row (another operator's, say) does not decrypt there.
    /// </summary>
    public static string Purpose(string operatorId, string credentialsId) => $"credentials/{operatorId}/{credentialsId}";

    /// <summary>The operator's set, decrypted; null when the operator has no set of that ID (another operator's included).</summary>
    /// <exception cref="CredentialsUnreadableException">The stored secret cannot be decrypted (the Data Protection keys changed or were lost).</exception>
    public async Task<StoredCredentials?> LoadAsync(string operatorId, string credentialsId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SimlaneDb>();
        var row = await db.Credentials.AsNoTracking()
            .SingleOrDefaultAsync(c => c.OperatorId == operatorId && c.CredentialsId == credentialsId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        JsonObject fields;
        try
        {
            fields = JsonNode.Parse(protector.Unprotect(Purpose(operatorId, credentialsId), row.ProtectedCredentials)) as JsonObject
                ?? throw CredentialsUnreadableException.For(credentialsId);
        }
        catch (CryptographicException e)
        {
            throw CredentialsUnreadableException.For(credentialsId, e);
        }

        // Not a tracked change: using a set must not bump its version and make a concurrent PUT fail.
        var now = clock.NowMs();
        await db.Credentials.Where(c => c.OperatorId == operatorId && c.CredentialsId == credentialsId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastUsedTime, now), cancellationToken);
        return new StoredCredentials(row.CredentialsId, row.Type, fields);
    }
}

/// <summary>A decrypted credential set. <see cref="ToString"/> never prints the fields.</summary>
/// <param name="CredentialsId">The set's ID.</param>
/// <param name="Type">The credential type (<c>aws-credentials</c>, …).</param>
/// <param name="Fields">Every stored field, secrets included.</param>
public sealed record StoredCredentials(string CredentialsId, string Type, JsonObject Fields)
{
    public string? Field(string name) => Fields[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public override string ToString() => $"StoredCredentials {{ CredentialsId = {CredentialsId}, Type = {Type} }}";
}

/// <summary>The stored secret of a set cannot be decrypted with the current Data Protection keys.</summary>
public sealed class CredentialsUnreadableException : Exception
{
    public CredentialsUnreadableException()
    {
    }

    public CredentialsUnreadableException(string message)
        : base(message)
    {
    }

    public CredentialsUnreadableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public static CredentialsUnreadableException For(string credentialsId, Exception? inner = null) =>
        new($"Credential set '{credentialsId}' cannot be decrypted: the Data Protection keys (--keys) are not the ones it was stored with", inner!);
}
