using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// Reads request bodies. Every handler reads its body here so that malformed JSON, wrong types and
/// oversized bodies all give the same clear 4xx naming the field, and nothing reaches the domain.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request, bool required = true, int maxBytes = MaxBytes)
        where T : class, new()
    {
        var bytes = await ReadBytesAsync(request, maxBytes);
        if (bytes.Length == 0 || IsWhitespace(bytes))
        {
            if (required)
            {
                throw new SimlaneException(ErrorCodes.MissingField, "A JSON request body is required");
            }

            return new T();
        }

        CheckStrict(bytes);
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
        var bytes = await ReadBytesAsync(request, MaxBytes);
        if (bytes.Length == 0 || IsWhitespace(bytes))
        {
            throw new SimlaneException(ErrorCodes.MissingField, "A JSON request body is required");
        }

        CheckStrict(bytes);
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

    /// <summary>
    /// Rejects what JSON parsers accept but nothing downstream can hold: invalid UTF-8, lone surrogates
    /// (<c>"\ud800"</c>) and a key twice in one object (at any depth), so that every body, typed or read
    /// as a tree, gets the same 400 COM0001 and no ambiguous document is ever stored. A NUL in any string
    /// is 400 COM0004.
    /// </summary>
    public static void CheckStrict(ReadOnlySpan<byte> bytes)
    {
        if (!Utf8.IsValid(bytes))
        {
            throw new SimlaneException(ErrorCodes.MalformedJson, "The request body is not valid UTF-8");
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        var objects = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        objects.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        CheckSurrogates(name);
                        if (objects.Peek() is { } keys && !keys.Add(name))
                        {
                            throw new SimlaneException(ErrorCodes.MalformedJson, $"The request body has the key '{Shorten(name)}' twice in one object");
                        }

                        break;
                    case JsonTokenType.String:
                        CheckSurrogates(reader.GetString()!);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new SimlaneException(ErrorCodes.MalformedJson, Describe(e));
        }
        catch (InvalidOperationException)
        {
            // GetString on text that cannot be transcoded.
            throw new SimlaneException(ErrorCodes.MalformedJson, "The request body has a string that is not valid Unicode");
        }
    }

    private static void CheckSurrogates(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // No store holds it (PostgreSQL text cannot), and no SORACOM field means anything with it.
            throw new SimlaneException(ErrorCodes.InvalidField, "The request body has a string with a NUL character (\\u0000)");
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new SimlaneException(ErrorCodes.MalformedJson, "The request body has a string with an unpaired surrogate (\\ud800-\\udfff)");
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new SimlaneException(ErrorCodes.BodyTooLarge, BodyTooLargeMessage(maxBytes));
        }

        // BodyLimitMiddleware has usually read the body into memory already (and disposes of it): copy it out
        // rather than read it a second time.
        if (request.Body is MemoryStream buffered)
        {
            return buffered.Length <= maxBytes ? buffered.ToArray() : throw new SimlaneException(ErrorCodes.BodyTooLarge, BodyTooLargeMessage(maxBytes));
        }

        using var read = await ReadUpToAsync(request.Body, maxBytes, request.HttpContext.RequestAborted);
        return read?.ToArray() ?? throw new SimlaneException(ErrorCodes.BodyTooLarge, BodyTooLargeMessage(maxBytes));
    }

    /// <summary>The whole of <paramref name="body"/> in memory, positioned at its start; null once it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<MemoryStream?> ReadUpToAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    public static string BodyTooLargeMessage(int maxBytes) => $"The request body exceeds {maxBytes / (1024 * 1024)} MiB";

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
