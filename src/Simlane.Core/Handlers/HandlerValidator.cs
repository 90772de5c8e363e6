using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simlane.Core.Errors;

namespace Simlane.Core.Handlers;

/// <summary>A handler's single target.</summary>
public sealed record HandlerTarget(TargetKind Kind, string Id)
{
    public string Field => TargetKinds.Field(Kind);
}

/// <summary>
/// A validated, normalised handler: rule type under its current name (legacy aliases resolved), rule and
/// action properties as strings (except <c>hasImei</c>, a boolean; <c>headers</c>, an object), properties
/// Simlane does not know dropped. <paramref name="Rule"/> and <paramref name="TypedActions"/> are the same
/// rule and actions typed (what the engine and the dry run read; a stored row gives them back through
/// <see cref="TypedHandler.FromStored"/>).
/// </summary>
public sealed record HandlerDefinition(
    string Name,
    string? Description,
    string Status,
    HandlerTarget Target,
    string RuleType,
    JsonObject RuleProperties,
    JsonArray Actions,
    HandlerRule Rule,
    IReadOnlyList<HandlerAction> TypedActions);

/// <summary>SORACOM's limits, as configurable defaults (<c>Simlane:Handlers</c>).</summary>
public sealed class HandlerLimits
{
    public const string Section = "Simlane:Handlers";

    public int MaxActions { get; set; } = 5;

    public int MaxHandlersPerTarget { get; set; } = 10;

    public void Validate()
    {
        if (MaxActions < 1 || MaxHandlersPerTarget < 1)
        {
            throw new InvalidOperationException("Simlane:Handlers:MaxActions and MaxHandlersPerTarget must be at least 1");
        }
    }
}

/// <summary>
/// Validates a create/update request (<c>CreateEventHandlerRequest</c>) against the rule and action
/// catalogues. Every refusal is a <see cref="SimlaneException"/> (400) naming the property and the rule
/// or action type. Existence and ownership of the target and the per-target limit are the caller's part.
/// </summary>
public static class HandlerValidator
{
    public const string Active = "active";
    public const string Inactive = "inactive";

    public static HandlerDefinition Validate(JsonObject request, HandlerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);

        var name = InputLimits.Name(RequiredString(request, "name"), "name");
        var description = OptionalString(request, "description") is { } text ? InputLimits.Text(text, "description", InputLimits.DescriptionMax) : null;
        var status = RequiredString(request, "status");
        if (status is not (Active or Inactive))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"status: '{status}' is not one of active, inactive");
        }

        var target = Target(request);
        var (ruleType, ruleProperties) = Rule(request, target);
        var actions = Actions(request, ruleType, ruleProperties, limits);
        return new HandlerDefinition(name, description, status, target, ruleType.Name, ruleProperties, actions,
            HandlerRule.From(ruleType, ruleProperties), [.. actions.OfType<JsonObject>().Select(HandlerAction.From)]);
    }

    private static HandlerTarget Target(JsonObject request)
    {
        var given = new List<HandlerTarget>();
        foreach (var kind in TargetKinds.All)
        {
            var field = TargetKinds.Field(kind);
            var value = OptionalString(request, field);
            if (value is not null)
            {
                if (value.Length == 0)
                {
                    throw new SimlaneException(ErrorCodes.InvalidHandlerTarget, $"{field}: must not be empty");
                }

                given.Add(new HandlerTarget(kind, InputLimits.Name(value, field, InputLimits.IdentifierMax)));
            }
        }

        return given.Count == 1
            ? given[0]
            : throw new SimlaneException(ErrorCodes.HandlerTargetCount, given.Count == 0
                ? "Specify exactly one of targetImsi, targetSimId, targetGroupId, targetOperatorId (none given)"
                : $"Specify exactly one of targetImsi, targetSimId, targetGroupId, targetOperatorId (got {string.Join(", ", given.Select(t => t.Field))})");
    }

    private static (RuleTypeSpec Type, JsonObject Properties) Rule(JsonObject request, HandlerTarget target)
    {
        if (request["ruleConfig"] is not JsonObject ruleConfig)
        {
            throw request["ruleConfig"] is null
                ? new SimlaneException(ErrorCodes.MissingField, "ruleConfig is required")
                : new SimlaneException(ErrorCodes.InvalidRuleConfig, "ruleConfig: must be an object");
        }

        var typeName = Text(ruleConfig["type"]);
        if (string.IsNullOrEmpty(typeName))
        {
            throw new SimlaneException(ErrorCodes.InvalidRuleConfig, "ruleConfig.type is required");
        }

        var type = RuleCatalogue.Find(typeName)
            ?? throw new SimlaneException(ErrorCodes.InvalidRuleConfig, $"ruleConfig.type: '{typeName}' is not a rule type");

        if (!type.Targets.Contains(target.Kind))
        {
            throw new SimlaneException(ErrorCodes.RuleTargetMismatch,
                $"{target.Field}: {type.Name} cannot target {TargetKinds.Name(target.Kind)}; it takes {string.Join(", ", type.Targets.Select(TargetKinds.Field))}");
        }

        var given = ruleConfig["properties"] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw new SimlaneException(ErrorCodes.InvalidRuleConfig, $"ruleConfig.properties: must be an object ({type.Name})"),
        };

        var properties = new JsonObject();
        foreach (var (key, value) in given)
        {
            if (value is null || !RuleCatalogue.Properties.TryGetValue(key, out var spec))
            {
                continue; // Unknown properties are ignored (S15); null means absent.
            }

            var path = $"ruleConfig.properties.{key}";
            if (!type.Accepts(key))
            {
                throw new SimlaneException(ErrorCodes.InvalidRuleConfig, $"{path}: not used by {type.Name}");
            }

            properties[key] = Parse(spec, value, path, type.Name, ErrorCodes.InvalidRuleConfig);
        }

        foreach (var required in type.Required.Where(r => !properties.ContainsKey(r)))
        {
            throw new SimlaneException(ErrorCodes.InvalidRuleConfig, $"ruleConfig.properties.{required}: is required ({type.Name})");
        }

        var timeout = properties[RuleCatalogue.InactiveTimeoutDateConst]!.GetValue<string>();
        if (!type.Timeouts.Contains(timeout))
        {
            throw new SimlaneException(ErrorCodes.InvalidRuleConfig,
                $"ruleConfig.properties.inactiveTimeoutDateConst: '{timeout}' is not allowed; use one of {string.Join(", ", type.Timeouts)} ({type.Name})");
        }

        if (timeout == Timings.Never && properties.ContainsKey(RuleCatalogue.InactiveTimeoutOffsetMinutes))
        {
            throw new SimlaneException(ErrorCodes.InvalidRuleConfig,
                $"ruleConfig.properties.inactiveTimeoutOffsetMinutes: cannot be given with inactiveTimeoutDateConst NEVER ({type.Name})");
        }

        return (type, properties);
    }

    private static JsonArray Actions(JsonObject request, RuleTypeSpec rule, JsonObject ruleProperties, HandlerLimits limits)
    {
        if (request["actionConfigList"] is not JsonArray list)
        {
            throw request["actionConfigList"] is null
                ? new SimlaneException(ErrorCodes.MissingField, "actionConfigList is required")
                : new SimlaneException(ErrorCodes.InvalidActionConfig, "actionConfigList: must be an array");
        }

        if (list.Count == 0)
        {
            throw new SimlaneException(ErrorCodes.InvalidActionConfig, "actionConfigList: at least one action is required");
        }

        if (list.Count > limits.MaxActions)
        {
            throw new SimlaneException(ErrorCodes.TooManyActions, $"actionConfigList: at most {limits.MaxActions} actions, got {list.Count}");
        }

        var actions = new JsonArray();
        for (var i = 0; i < list.Count; i++)
        {
            actions.Add(Action(list[i], $"actionConfigList[{i}]", rule, ruleProperties));
        }

        return actions;
    }

    private static JsonObject Action(JsonNode? node, string at, RuleTypeSpec rule, JsonObject ruleProperties)
    {
        if (node is not JsonObject action)
        {
            throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}: must be an object");
        }

        var typeName = Text(action["type"]);
        if (string.IsNullOrEmpty(typeName))
        {
            throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.type is required");
        }

        if (!ActionCatalogue.Types.TryGetValue(typeName, out var type))
        {
            throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.type: '{typeName}' is not an action type");
        }

        var given = action["properties"] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.properties: must be an object ({type.Name})"),
        };

        var properties = new JsonObject();
        foreach (var (key, value) in given)
        {
            if (value is null || !ActionCatalogue.Properties.TryGetValue(key, out var spec))
            {
                continue; // Unknown (and the deprecated Lambda key pair) are not stored.
            }

            var path = $"{at}.properties.{key}";
            if (key is not (ActionCatalogue.ExecutionDateTimeConst or ActionCatalogue.ExecutionOffsetMinutes) && !type.Accepts(key))
            {
                throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{path}: not used by {type.Name}");
            }

            properties[key] = Parse(spec, value, path, type.Name, ErrorCodes.InvalidActionConfig);
        }

        foreach (var required in type.Required.Prepend(ActionCatalogue.ExecutionDateTimeConst).Where(r => !properties.ContainsKey(r)))
        {
            throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.properties.{required}: is required ({type.Name})");
        }

        switch (type.Name)
        {
            case ActionCatalogue.SendMail:
                var to = properties["to"]!.GetValue<string>();
                if (!IsSingleAddress(to))
                {
                    throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.properties.to: must be one e-mail address, not '{to}' ({type.Name})");
                }

                break;
            case ActionCatalogue.ExecuteWebRequest:
                var url = properties["url"]!.GetValue<string>();
                if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.properties.url: must be an http:// or https:// URL ({type.Name})");
                }

                var method = properties["httpMethod"]!.GetValue<string>();
                if (properties.ContainsKey("body") && method is not ("POST" or "PUT"))
                {
                    throw new SimlaneException(ErrorCodes.InvalidActionConfig, $"{at}.properties.body: only allowed with httpMethod POST or PUT, not {method} ({type.Name})");
                }

                break;
            case ActionCatalogue.ImeiLock:
                if (rule.Name != type.NeedsRule || ruleProperties[type.NeedsFlag!]?.GetValue<bool>() != true)
                {
                    throw new SimlaneException(ErrorCodes.InvalidActionConfig,
                        $"{at}.type: ImeiLockAction needs ruleConfig.type SubscriberSessionStatusRule with hasImei true ({rule.Name})");
                }

                break;
        }

        return new JsonObject { ["type"] = type.Name, ["properties"] = properties };
    }

    private static bool IsSingleAddress(string to)
    {
        var at = to.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < to.Length - 1 && to.IndexOf('@', at + 1) < 0
            && !to.Any(c => char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>');
    }

    private static JsonNode Parse(PropertySpec spec, JsonNode value, string path, string owner, ErrorCode error)
    {
        var text = Text(value);
        switch (spec.Kind)
        {
            case PropertyKind.WholeNumber:
                var trimmed = text?.Trim();
                if (trimmed is null || trimmed.Length == 0 || !trimmed.All(c => char.IsAsciiDigit(c) || c == '-')
                    || !long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    || number < spec.Min || number > spec.Max)
                {
                    throw new SimlaneException(error, $"{path}: must be an integer from {spec.Min} to {spec.Max} ({owner})");
                }

                return JsonValue.Create(number.ToString(CultureInfo.InvariantCulture));
            case PropertyKind.Boolean or PropertyKind.BooleanString:
                var flag = text?.Trim().ToLowerInvariant() switch
                {
                    "true" => true,
                    "false" => (bool?)false,
                    _ => null,
                } ?? throw new SimlaneException(error, $"{path}: must be true or false ({owner})");
                return spec.Kind == PropertyKind.Boolean ? JsonValue.Create(flag) : JsonValue.Create(flag ? "true" : "false");
            case PropertyKind.Enum:
                return text is not null && spec.Allowed!.Contains(text)
                    ? JsonValue.Create(text)
                    : throw new SimlaneException(error, $"{path}: '{text ?? value.ToJsonString()}' is not one of {string.Join(", ", spec.Allowed!)} ({owner})");
            case PropertyKind.StringMap:
                return StringMap(value, path, owner, error);
            default:
                return text is not null
                    ? JsonValue.Create(text)
                    : throw new SimlaneException(error, $"{path}: must be a string ({owner})");
        }
    }

    /// <summary>
    /// <c>headers</c>: a JSON object, or a string holding one (SORACOM's examples send an escaped JSON
    /// string, sometimes several objects separated by commas, which are merged). Values become strings.
    /// </summary>
    private static JsonObject StringMap(JsonNode value, string path, string owner, ErrorCode error)
    {
        var invalid = new SimlaneException(error, $"{path}: must be an object of header names and values, or a string holding one ({owner})");
        JsonNode? parsed = value;
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>().Trim();
            if (text.Length == 0)
            {
                return new JsonObject();
            }

            try
            {
                parsed = JsonNode.Parse("[" + text + "]");
            }
            catch (JsonException)
            {
                throw invalid;
            }
        }

        var parts = parsed switch
        {
            JsonObject o => new List<JsonObject> { o },
            JsonArray a when a.All(p => p is JsonObject) => a.Select(p => (JsonObject)p!).ToList(),
            _ => throw invalid,
        };

        var headers = new JsonObject();
        foreach (var part in parts)
        {
            foreach (var (name, headerValue) in part)
            {
                headers[name] = Text(headerValue) ?? throw invalid;
            }
        }

        return headers;
    }

    /// <summary>A scalar as text: strings as they are, numbers and booleans as their JSON text; else null.</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        }
        : null;

    private static string RequiredString(JsonObject request, string field)
    {
        var value = OptionalString(request, field);
        return string.IsNullOrWhiteSpace(value) ? throw new SimlaneException(ErrorCodes.MissingField, $"{field} is required") : value;
    }

    private static string? OptionalString(JsonObject request, string field) => request[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: must be a string"),
    };
}
