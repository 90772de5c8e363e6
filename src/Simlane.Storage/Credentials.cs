namespace Simlane.Storage;

/// <summary>
/// One credential set of an operator (table <c>credentials</c>, key operator + credentials ID: each operator
/// names its own sets, so one operator's ID says nothing about another's). The secret part never sits in the
/// clear: <see cref="ProtectedCredentials"/> is the whole <c>credentials</c> object as the client sent it,
/// encrypted with ASP.NET Core Data Protection under a purpose bound to this row (so a ciphertext copied to
/// another row does not decrypt). <see cref="PublicCredentials"/> holds only the fields that are not secret
/// (for example the AWS access key ID), which is all the API ever answers.
/// </summary>
public sealed class CredentialRow
{
    public required string OperatorId { get; set; }

    public required string CredentialsId { get; set; }

    /// <summary><c>aws-credentials</c>, <c>azure-credentials</c>, <c>psk</c> or <c>x509</c>.</summary>
    public required string Type { get; set; }

    public string? Description { get; set; }

    /// <summary>The non-secret fields of the credentials object, as a JSON object.</summary>
    public required string PublicCredentials { get; set; }

    /// <summary>The full credentials object (JSON), encrypted; see the class summary.</summary>
    public required string ProtectedCredentials { get; set; }

    /// <summary>Epoch ms.</summary>
    public long CreatedTime { get; set; }

    /// <summary>Epoch ms.</summary>
    public long UpdatedTime { get; set; }

    /// <summary>Epoch ms of the last time an action loaded the secret; null = never used.</summary>
    public long? LastUsedTime { get; set; }

    /// <summary>Optimistic concurrency token, +1 on every change made through the API.</summary>
    public int Version { get; set; }
}
