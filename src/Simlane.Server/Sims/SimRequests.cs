using System.Text.Json.Nodes;
using Simlane.Core.Errors;
using Simlane.Core.Sims;
using Simlane.Server.Infrastructure;

namespace Simlane.Server.Sims;

public sealed class SetGroupRequest
{
    public string? GroupId { get; set; }
}

public sealed class SetImeiLockRequest
{
    public string? Imei { get; set; }
}

public sealed class UpdateSpeedClassRequest
{
    public string? SpeedClass { get; set; }
}

public sealed class RegisterRequest
{
    public string? RegistrationSecret { get; set; }

    public string? GroupId { get; set; }

    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class SetExpiryRequest
{
    public long? ExpiryTime { get; set; }

    public string? ExpiryAction { get; set; }
}

public sealed class CreateSimRequest
{
    public string? Type { get; set; }

    public string? Subscription { get; set; }
}

public sealed class TagUpdateRequest
{
    public string? TagName { get; set; }

    public string? TagValue { get; set; }
}

public static class TagRequests
{
    /// <summary>Reads a <c>[{"tagName","tagValue"}]</c> body; both fields are required on every item.</summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> ReadAsync(HttpRequest request)
    {
        var array = await JsonBody.ReadArrayAsync(request);
        if (array.Count > InputLimits.TagsPerRequestMax)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"At most {InputLimits.TagsPerRequestMax} tags in one request, not {array.Count}");
        }

        var tags = new List<KeyValuePair<string, string>>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"[{i}] must be an object with tagName and tagValue");
            }

            var name = ReadString(item, "tagName", i);
            var value = ReadString(item, "tagValue", i);
            if (name.Length == 0)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"[{i}].tagName must not be empty");
            }

            tags.Add(Checked(name, value, $"[{i}]."));
        }

        return tags;
    }

    private static string ReadString(JsonObject item, string field, int index)
    {
        if (!item.TryGetPropertyValue(field, out var node) || node is null)
        {
            throw new SimlaneException(ErrorCodes.MissingField, $"[{index}].{field} is required");
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new SimlaneException(ErrorCodes.InvalidField, $"[{index}].{field} must be a string");
    }

    /// <summary>Validates tags given as a TagSet object (register, group creation).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> FromTagSet(Dictionary<string, string>? tags, string field)
    {
        if (tags is null)
        {
            return [];
        }

        foreach (var name in tags.Keys.Where(n => n.Length == 0))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: tag names must not be empty");
        }

        if (tags.Count > InputLimits.TagsPerRequestMax)
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: at most {InputLimits.TagsPerRequestMax} tags, not {tags.Count}");
        }

        return [.. tags.Select(t => Checked(t.Key, t.Value ?? "", $"{field}."))];
    }

    /// <summary>A tag within <see cref="InputLimits"/>: a name without control characters, a value of text.</summary>
    private static KeyValuePair<string, string> Checked(string name, string value, string at) => KeyValuePair.Create(
        InputLimits.Name(name, $"{at}tagName", InputLimits.TagNameMax),
        InputLimits.Text(value, $"{at}tagValue", InputLimits.TagValueMax));
}

public static class SpeedClassRequest
{
    public static string Validate(string? speedClass) =>
        Require.OneOf(speedClass, "speedClass", [.. SpeedClasses.Requestable]);
}
