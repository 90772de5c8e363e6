using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simlane.Core.Errors;

namespace Simlane.Server.Credentials;

/// <summary>
/// The credential types of <c>CreateAndUpdateCredentialsModel.type</c> and the fields each one keeps
/// (docs/actions.md, "Credentials"). Every type is stored the same way: the whole object encrypted, the
/// <see cref="CredentialType.Public"/> fields also in the clear for responses. Only aws-credentials is used by
/// an action today (InvokeAWSLambdaAction); the others are stored so that SORACOM clients can manage them.
/// </summary>
public static partial class CredentialTypes
{
    public const string Aws = "aws-credentials";
    public const string Azure = "azure-credentials";
    public const string Psk = "psk";
    public const string X509 = "x509";

    public const int MaxIdLength = 100;
    public const int MaxDescriptionLength = 1000;

    /// <summary>Longest accepted value of one credentials field (an X.509 chain fits comfortably).</summary>
    public const int MaxValueLength = 16 * 1024;

    public static readonly IReadOnlyDictionary<string, CredentialType> All = new CredentialType[]
    {
        new(Aws, Required: ["accessKeyId", "secretAccessKey"], Optional: [], Public: ["accessKeyId"]),
        new(Azure, Required: ["policyName", "key"], Optional: [], Public: ["policyName"]),
        new(Psk, Required: ["key"], Optional: [], Public: []),
        new(X509, Required: ["cert", "key"], Optional: ["ca"], Public: []),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>
    /// Checks a <c>CreateAndUpdateCredentialsModel</c> body and splits it into what may be shown and what
    /// must be encrypted. Fields a type does not know are dropped (never stored); nothing is changed on error.
    /// </summary>
    public static ValidatedCredentials Validate(string credentialsId, JsonNode? body)
    {
        if (!IsValidId(credentialsId))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"credentials_id: must be 1 to {MaxIdLength} letters, digits, '_', '.' or '-'");
        }

        if (body is not JsonObject model)
        {
            throw new SimlaneException(ErrorCodes.MalformedJson, "The request body must be a JSON object");
        }

        var typeName = Text(model, "type", ErrorCodes.InvalidField) ?? throw new SimlaneException(ErrorCodes.MissingField, "type is required");
        if (!All.TryGetValue(typeName, out var type))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"type: '{typeName}' is not one of {string.Join(", ", All.Keys)}");
        }

        var description = Text(model, "description", ErrorCodes.InvalidField);
        if (description is { Length: > MaxDescriptionLength })
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"description: at most {MaxDescriptionLength} characters");
        }

        if (!model.TryGetPropertyValue("credentials", out var credentialsNode) || credentialsNode is null)
        {
            throw new SimlaneException(ErrorCodes.MissingField, "credentials is required");
        }

        if (credentialsNode is not JsonObject credentials)
        {
            throw new SimlaneException(ErrorCodes.InvalidCredentials, "credentials: must be a JSON object");
        }

        var secret = new JsonObject();
        var shown = new JsonObject();
        foreach (var field in type.Required.Concat(type.Optional))
        {
            var value = Text(credentials, field, ErrorCodes.InvalidCredentials, prefix: "credentials.");
            if (value is null)
            {
                if (type.Required.Contains(field))
                {
                    throw new SimlaneException(ErrorCodes.InvalidCredentials, $"credentials.{field}: is required for {type.Name}");
                }

                continue;
            }

            if (value.Length == 0 || value.Length > MaxValueLength)
            {
                throw new SimlaneException(ErrorCodes.InvalidCredentials, $"credentials.{field}: must be a non-empty string of at most {MaxValueLength} characters");
            }

            secret[field] = value;
            if (type.Public.Contains(field))
            {
                shown[field] = value;
            }
        }

        return new ValidatedCredentials(type.Name, description, shown.ToJsonString(), secret.ToJsonString());
    }

    /// <summary>A string property, or null when absent or JSON null; another JSON type is <paramref name="error"/>.</summary>
    private static string? Text(JsonObject obj, string name, ErrorCode error, string prefix = "")
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new SimlaneException(error, $"{prefix}{name}: must be a string");
    }
}

/// <param name="Name">The wire name (<c>type</c>).</param>
/// <param name="Required">Fields that must be present.</param>
/// <param name="Optional">Fields that are kept when present.</param>
/// <param name="Public">Fields that are not secret: answered by the API. Every other field is only ever stored encrypted.</param>
public sealed record CredentialType(string Name, IReadOnlyList<string> Required, IReadOnlyList<string> Optional, IReadOnlyList<string> Public);

/// <param name="Type">The credential type.</param>
/// <param name="Description">The description, if any.</param>
/// <param name="PublicJson">The non-secret fields (JSON object), shown by the API.</param>
/// <param name="SecretJson">Every kept field (JSON object), to be encrypted before it is stored. Never log it.</param>
public sealed record ValidatedCredentials(string Type, string? Description, string PublicJson, string SecretJson)
{
    /// <summary>Keeps the secret out of logs and exception messages should the record ever be printed.</summary>
    public override string ToString() => $"ValidatedCredentials {{ Type = {Type} }}";
}
