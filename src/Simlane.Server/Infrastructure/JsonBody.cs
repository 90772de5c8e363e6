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
        var body = await ReadBytesAsync(request, maxBytes);
        var bytes = body.Span;
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
        var body = await ReadBytesAsync(request, MaxBytes);
        if (body.Length == 0 || IsWhitespace(body.Span))
        {
            throw new SimlaneException(ErrorCodes.MissingField, "A JSON request body is required");
        }

        CheckStrict(body.Span);
        try
        {
            return JsonNode.Parse(body.Span);
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
        var keys = new KeyScratch();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        keys.Open();
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        keys.Close();
                        break;
                    case JsonTokenType.PropertyName:
                        // Unescaped text is valid UTF-8 (checked above) without control characters (the reader refuses them): it can
                        // hold neither a NUL nor a lone surrogate. Only escapes need a look at the decoded string.
                        if (reader.ValueIsEscaped)
                        {
                            CheckSurrogates(reader.GetString()!);
                        }

                        if (!keys.Add(ref reader))
                        {
                            throw new SimlaneException(ErrorCodes.MalformedJson, $"The request body has the key '{Shorten(reader.GetString()!)}' twice in one object");
                        }

                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
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

    /// <summary>
    /// The keys of every open object, decoded to UTF-8 side by side in one buffer, for <see cref="CheckStrict"/>'s duplicate check without
    /// a string and a set per object (a usage batch has thousands): a key is compared with its object's earlier keys, and an object that
    /// grows past <see cref="LinearKeys"/> keys moves to a set, so a huge object stays linear.
    /// </summary>
    private sealed class KeyScratch
    {
        private const int LinearKeys = 32;

        private readonly List<(int Start, int Length)> names = [];
        private readonly List<(int FirstName, int Used, HashSet<string>? Set)> levels = [];
        private byte[] buffer = new byte[256];
        private int used;

        /// <summary>An object or array starts (arrays hold no keys, but close like objects).</summary>
        public void Open() => levels.Add((names.Count, used, null));

        public void Close()
        {
            var (firstName, usedBefore, _) = levels[^1];
            levels.RemoveAt(levels.Count - 1);
            names.RemoveRange(firstName, names.Count - firstName);
            used = usedBefore;
        }

        /// <summary>Adds the reader's property name to the innermost object; false if the object already has it.</summary>
        public bool Add(ref Utf8JsonReader reader)
        {
            var needed = used + reader.ValueSpan.Length; // unescaping never lengthens
            if (needed > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
            }

            var length = reader.ValueIsEscaped ? reader.CopyString(buffer.AsSpan(used)) : Copy(reader.ValueSpan);
            var name = buffer.AsSpan(used, length);
            var (firstName, usedBefore, set) = levels[^1];
            if (set is not null)
            {
                return set.Add(System.Text.Encoding.UTF8.GetString(name));
            }

            for (var i = firstName; i < names.Count; i++)
            {
                if (buffer.AsSpan(names[i].Start, names[i].Length).SequenceEqual(name))
                {
                    return false;
                }
            }

            names.Add((used, length));
            used += length;
            if (names.Count - firstName > LinearKeys)
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                for (var i = firstName; i < names.Count; i++)
                {
                    set.Add(System.Text.Encoding.UTF8.GetString(buffer, names[i].Start, names[i].Length));
                }

                levels[^1] = (firstName, usedBefore, set);
            }

            return true;
        }

        private int Copy(ReadOnlySpan<byte> raw)
        {
            raw.CopyTo(buffer.AsSpan(used));
            return raw.Length;
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

    private static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new SimlaneException(ErrorCodes.BodyTooLarge, BodyTooLargeMessage(maxBytes));
        }

        // BodyLimitMiddleware has usually read the body into memory already (and disposes of it with the request): read it
        // where it is rather than copy it (a usage batch is most of a megabyte).
        if (request.Body is MemoryStream buffered)
        {
            return buffered.Length > maxBytes
                ? throw new SimlaneException(ErrorCodes.BodyTooLarge, BodyTooLargeMessage(maxBytes))
                : buffered.TryGetBuffer(out var segment) ? segment.AsMemory() : buffered.ToArray();
        }

        using var read = await ReadUpToAsync(request.Body, maxBytes, request.HttpContext.RequestAborted, request.ContentLength);
        return read?.ToArray() ?? throw new SimlaneException(ErrorCodes.BodyTooLarge, BodyTooLargeMessage(maxBytes));
    }

    /// <summary>
    /// The whole of <paramref name="body"/> in memory, positioned at its start; null once it exceeds <paramref name="maxBytes"/>. A declared
    /// <paramref name="contentLength"/> (within the limit) sizes the buffer once instead of doubling it.
    /// </summary>
    public static async Task<MemoryStream?> ReadUpToAsync(Stream body, int maxBytes, CancellationToken cancellationToken, long? contentLength = null)
    {
        var buffer = contentLength is > 0 and var length && length <= maxBytes ? new MemoryStream((int)length) : new MemoryStream();
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

    private static bool IsWhitespace(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \n\r\t"u8) < 0;
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
