using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simlane.Server.Infrastructure;

public static class Json
{
    /// <summary>camelCase, nulls omitted (SORACOM omits unset properties), strict number handling.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNameCaseInsensitive = false;
        return options;
    }
}
