using System.Text.Json.Nodes;
using Simlane.Core.Handlers;

namespace Simlane.Server.Handlers;

/// <summary>
/// <c>GET /v1/event_handler_catalogue</c> (Simlane extension, docs/api.md "Catalogue"): Core's rule and action
/// catalogues as JSON, so that the console's handler form offers exactly what the validator accepts without a copy.
/// </summary>
internal static class HandlerCatalogueView
{
    public static JsonObject Build(HandlerLimits limits)
    {
        var rules = new JsonObject();
        foreach (var spec in RuleCatalogue.Types.Values)
        {
            rules[spec.Name] = new JsonObject
            {
                ["required"] = Strings(spec.Required),
                ["optional"] = Strings(spec.Optional),
                ["timeouts"] = Strings(spec.Timeouts),
                ["targets"] = Strings(spec.Targets.Select(TargetKinds.Name)),
                ["events"] = Strings(spec.Events),
                ["level"] = Camel(spec.Level.ToString()),
                ["condition"] = Camel(spec.Condition.ToString()),
                ["standing"] = spec.Standing,
                ["counter"] = spec.Counter is { } c ? new JsonObject { ["scope"] = Camel(c.Scope.ToString()), ["period"] = Camel(c.Period.ToString()) } : null,
            };
        }

        var actions = new JsonObject();
        foreach (var spec in ActionCatalogue.Types.Values)
        {
            var action = new JsonObject { ["required"] = Strings(spec.Required), ["optional"] = Strings(spec.Optional) };
            if (spec.NeedsRule is { } rule)
            {
                action["needsRule"] = new JsonObject { ["type"] = rule, ["property"] = spec.NeedsFlag };
            }

            actions[spec.Name] = action;
        }

        return new JsonObject
        {
            ["defaultRuleType"] = RuleCatalogue.Default,
            ["timings"] = Strings(Timings.All),
            ["maxOffsetMinutes"] = Timings.MaxOffsetMinutes,
            ["maxActions"] = limits.MaxActions,
            ["legacyRuleTypes"] = new JsonObject(RuleCatalogue.LegacyAliases.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
            ["rules"] = rules,
            ["ruleProperties"] = Properties(RuleCatalogue.Properties.Values),
            ["actions"] = actions,
            ["actionProperties"] = Properties(ActionCatalogue.Properties.Values),
        };
    }

    private static JsonObject Properties(IEnumerable<PropertySpec> specs)
    {
        var properties = new JsonObject();
        foreach (var spec in specs)
        {
            var property = new JsonObject { ["kind"] = Camel(spec.Kind.ToString()) };
            if (spec.Kind == PropertyKind.WholeNumber)
            {
                property["min"] = spec.Min;
                property["max"] = spec.Max;
            }

            if (spec.Allowed is { } allowed)
            {
                property["allowed"] = Strings(allowed);
            }

            properties[spec.Name] = property;
        }

        return properties;
    }

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
