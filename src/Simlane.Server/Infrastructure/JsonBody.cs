using System.Text.Json;
using System.Text.Json.Nodes;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// Reads request bodies. Every handler reads its body here so that malformed JSON, wrong types and
/// oversized bodies all give the same clear 4xx naming the field, and nothing reaches the domain.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request, bool required = true)
        where T : class, new()
    {
        var bytes = await ReadBytesAsync(request);
        if (bytes.Length == 0 || IsWhitespace(bytes))
        {
            if (required)
            {
                throw new SimlaneException(ErrorCodes.MissingField, "A JSON request body is required");
            }

            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Json.Options)
                ?? throw new SimlaneException(ErrorCodes.MalformedJson, "The request body must be a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw new SimlaneException(ErrorCodes.MalformedJson, Describe(e));
        }
    }

    /// <summary>Reads a body that must be a JSON array (tags, configuration parameters).</summary>
    public static async Task<JsonArray> ReadArrayAsync(HttpRequest request)
    {
        var node = await ReadNodeAsync(request);
        return node as JsonArray ?? throw new SimlaneException(ErrorCodes.MalformedJson, "The request body must be a JSON array");
    }

    public static async Task<JsonNode?> ReadNodeAsync(HttpRequest request)
    {
        var bytes = await ReadBytesAsync(request);
        if (bytes.Length == 0 || IsWhitespace(bytes))
        {
            throw new SimlaneException(ErrorCodes.MissingField, "A JSON request body is required");
        }

        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new SimlaneException(ErrorCodes.MalformedJson, Describe(e));
        }
    }

    public static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.TrimStart('$', '.');
        if (e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return path is null ? "The request body has a value of the wrong type" : $"{path}: wrong type";
        }

        return path is null ? "The request body is not valid JSON" : $"{path}: invalid JSON";
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new SimlaneException(ErrorCodes.BodyTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new SimlaneException(ErrorCodes.BodyTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsWhitespace(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t');
}

/// <summary>Checks on fields after deserialisation, each naming the field it rejects.</summary>
public static class Require
{
    public static string NotEmpty(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new SimlaneException(ErrorCodes.MissingField, $"{field} is required") : value;

    public static T Present<T>(T? value, string field)
        where T : struct =>
        value ?? throw new SimlaneException(ErrorCodes.MissingField, $"{field} is required");

    public static string OneOf(string? value, string field, IReadOnlyCollection<string> allowed)
    {
        var present = NotEmpty(value, field);
        return allowed.Contains(present)
            ? present
            : throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: '{present}' is not one of {string.Join(", ", allowed)}");
    }
}
