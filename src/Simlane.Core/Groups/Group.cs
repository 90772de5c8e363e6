using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simlane.Core.Errors;

namespace Simlane.Core.Groups;

/// <summary>
/// A group of SIMs with a configuration per namespace (SoracomAir, SoracomBeam, ...). The whole
/// configuration is capped at <see cref="MaxConfigurationBytes"/> bytes of JSON.
/// </summary>
public sealed class Group
{
    public const int MaxConfigurationBytes = 8 * 1024;

    public static readonly IReadOnlyList<string> Namespaces =
    [
        "SoracomAir", "SoracomBeam", "SoracomEndorse", "SoracomFlux", "SoracomFunk", "SoracomFunnel",
        "SoracomHarvest", "SoracomHarvestFiles", "SoracomKrypton", "SoracomOrbit", "UnifiedEndpoint",
    ];

    public required string GroupId { get; set; }

    public required string OperatorId { get; set; }

    /// <summary>The configuration as a JSON object text: namespace → object of key → any JSON.</summary>
    public string Configuration { get; set; } = "{}";

    public long CreatedTime { get; set; }

    public long LastModifiedTime { get; set; }

    public List<GroupTag> Tags { get; set; } = [];

    /// <summary>Optimistic-concurrency token, bumped on every save, so concurrent edits never lose an update.</summary>
    public long Version { get; set; }

    public JsonObject ConfigurationObject() => JsonNode.Parse(Configuration) as JsonObject ?? [];

    /// <summary>Replaces the whole configuration (group creation). Namespaces must be known and objects.</summary>
    public void ReplaceConfiguration(JsonObject configuration, long now)
    {
        foreach (var (ns, value) in configuration)
        {
            EnsureKnownNamespace(ns);
            if (value is not JsonObject)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"configuration.{ns} must be an object");
            }
        }

        Save(configuration, now);
    }

    /// <summary>Upserts keys inside one namespace.</summary>
    public void PutParameters(string ns, IReadOnlyList<KeyValuePair<string, JsonNode?>> parameters, long now)
    {
        EnsureKnownNamespace(ns);
        var config = ConfigurationObject();
        if (config[ns] is not JsonObject section)
        {
            section = [];
            config[ns] = section;
        }

        foreach (var (key, value) in parameters)
        {
            section[key] = value?.DeepClone();
        }

        Save(config, now);
    }

    public void DeleteNamespace(string ns, long now)
    {
        var config = ConfigurationObject();
        if (!config.Remove(ns))
        {
            throw new SimlaneException(ErrorCodes.NamespaceNotFound, $"Namespace '{ns}' is not set on the group");
        }

        Save(config, now);
    }

    /// <summary>Deletes one key; the namespace disappears with its last key.</summary>
    public void DeleteParameter(string ns, string key, long now)
    {
        var config = ConfigurationObject();
        if (config[ns] is not JsonObject section)
        {
            throw new SimlaneException(ErrorCodes.NamespaceNotFound, $"Namespace '{ns}' is not set on the group");
        }

        if (!section.Remove(key))
        {
            throw new SimlaneException(ErrorCodes.ConfigurationKeyNotFound, $"No key '{key}' in namespace '{ns}'");
        }

        if (section.Count == 0)
        {
            config.Remove(ns);
        }

        Save(config, now);
    }

    public void PutTags(IReadOnlyList<KeyValuePair<string, string>> tags, long now)
    {
        foreach (var (name, value) in tags)
        {
            var existing = Tags.FirstOrDefault(t => t.Name == name);
            if (existing is null)
            {
                Tags.Add(new GroupTag { GroupId = GroupId, Name = name, Value = value });
            }
            else
            {
                existing.Value = value;
            }
        }

        LastModifiedTime = now;
    }

    public void DeleteTag(string name, long now)
    {
        var existing = Tags.FirstOrDefault(t => t.Name == name)
            ?? throw new SimlaneException(ErrorCodes.TagNotFound, $"No tag named '{name}'");
        Tags.Remove(existing);
        LastModifiedTime = now;
    }

    public static void EnsureKnownNamespace(string ns)
    {
        if (!Namespaces.Contains(ns))
        {
            throw new SimlaneException(ErrorCodes.UnknownNamespace, $"Unknown configuration namespace '{ns}'; expected one of {string.Join(", ", Namespaces)}");
        }
    }

    private void Save(JsonObject config, long now)
    {
        var text = MinimallyEscaped(config.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxConfigurationBytes)
        {
            throw new SimlaneException(ErrorCodes.ConfigurationTooLarge, $"The group configuration would be {size} bytes; the limit is {MaxConfigurationBytes}");
        }

        Configuration = text;
        LastModifiedTime = now;
    }

    /// <summary>
    /// Undoes the <c>\uXXXX</c> escapes that JSON does not require. System.Text.Json escapes every
    /// non-ASCII character (six bytes, twelve for a surrogate pair) and a few ASCII ones, so without this
    /// the 8 KB cap would count escapes instead of the UTF-8 bytes of the configuration. Quotes,
    /// backslashes, control characters and lone surrogates stay escaped, so the text is still valid JSON.
    /// </summary>
    private static string MinimallyEscaped(string json)
    {
        var result = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }

            if (json[i + 1] != 'u')
            {
                result.Append(c).Append(json[i + 1]);
                i++;
                continue;
            }

            var unit = HexUnit(json, i + 2);
            if (char.IsHighSurrogate(unit) && i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                && char.IsLowSurrogate(HexUnit(json, i + 8)))
            {
                result.Append(unit).Append(HexUnit(json, i + 8));
                i += 11;
            }
            else if (unit < ' ' || unit == '"' || unit == '\\' || char.IsSurrogate(unit))
            {
                result.Append(json, i, 6);
                i += 5;
            }
            else
            {
                result.Append(unit);
                i += 5;
            }
        }

        return result.ToString();
    }

    private static char HexUnit(string json, int start) =>
        (char)int.Parse(json.AsSpan(start, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}

/// <summary>One tag of a group; <c>name</c> is the display name.</summary>
public sealed class GroupTag
{
    public required string GroupId { get; set; }

    public required string Name { get; set; }

    public required string Value { get; set; }
}
