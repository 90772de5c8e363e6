using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Engine;
using Simlane.Server.Tests.Gateway;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// Issue 12.1's bad-input corpus: every operation the server publishes in /openapi/v1.json, signed in as a
/// real operator whose SIM, group, handler and credential set the path parameters name, is sent malformed
/// JSON, wrong types, missing and unknown fields, out-of-range and huge numbers, huge strings, invalid
/// UTF-8, lone surrogates, duplicate keys and odd path and query values. No answer may be 5xx, every error
/// body must be <c>{"code","message"}</c> (the ContractValidatingHandler checks both), and a 4xx must leave
/// every table exactly as it was. Request bodies follow the official spec's schema for the operation
/// (spec/*.yaml, matched by method and path), or a generic object where it has none.
/// </summary>
public abstract class BadInputCorpusTests(ServerFixture server)
{
    private static readonly string[] OddPathValues = ["-1", "abc", new string('9', 300), "%E2%9C%93%F0%9F%93%B1", "%01", "..%2F..", "99999999999999999999", "%FF"];

    private static readonly string[] OddQueries =
    [
        "limit=-1", "limit=abc", "limit=1e400", "limit=99999999999999999999", "limit=0",
        "last_evaluated_key=" + new string('k', 2000), "last_evaluated_key=%E2%9C%93", "last_evaluated_key=-1",
        "from=-1&to=253402300800000", "from=253402300800&to=9223372036854775807", "to=99999999999999999999999&from=1",
        "from=1700000000&to=1700000001&period=%FF", "status_filter=%01", "tag_name=x&tag_value=" + new string('v', 1100),
        "speed_class_filter=abc", "sort=sideways", "search_type=xor", "name=%E2%9C%93&group=a", "x=" + new string('u', 9000),
    ];

    private static readonly string[] RawBodies =
    [
        "{", "[1,]", "nul", "{\"a\":}", "\"\\x\"", "null", "[]", "{}", "\"str\"", "123", "1e400", "true",
        "{\"k\":1,\"k\":2}", "[{\"k\":1,\"k\":2}]", "{\"a\":\"\\ud800\"}", "[{\"a\":\"\\udfff\"}]", "{\"a\":\"\\u0000\"}",
        new string('[', 200) + new string(']', 200),
    ];

    private static readonly string[] HugeNumbers = ["1e400", "-1", "9223372036854775808", "-9223372036854775809", "253402300800000", "1.5"];

    /// <summary>EF's migration history, and the outbox consumer's read position, which moves in the background after earlier accepted requests.</summary>
    private static readonly HashSet<string> TechnicalTables = new(StringComparer.OrdinalIgnoreCase) { "__EFMigrationsHistory", "engine_cursors" };

    [Fact]
    public async Task EveryOperation_AnswersBadInputWith4xx_TheErrorBody_AndChangesNothing()
    {
        var op = await server.NewOperatorAsync();
        var gateway = server.Gateway();
        var sim = await op.CreateRegisteredSimAsync();
        var groupId = (await op.PostAsync("/v1/groups", new { tags = new { name = "corpus" } })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var handlerId = await op.CreateHandlerAsync("targetImsi", sim.PrimaryImsi(), "SubscriberDailyTrafficRule",
            """{"limitTotalTrafficMegaByte":"10","inactiveTimeoutDateConst":"BEGINNING_OF_NEXT_DAY"}""");
        (await op.PostAsync("/v1/credentials/corpus-cred", new JsonObject
        {
            ["type"] = "aws-credentials",
            ["credentials"] = new JsonObject { ["accessKeyId"] = "AKIAEXAMPLE", ["secretAccessKey"] = "secret" },
        })).ShouldBe(HttpStatusCode.Created);
        var values = new Dictionary<string, string>
        {
            ["sim_id"] = sim.Str("simId"),
            ["imsi"] = sim.PrimaryImsi(),
            ["group_id"] = groupId,
            ["handler_id"] = handlerId,
            ["operator_id"] = op.OperatorId!,
            ["credentials_id"] = "corpus-cred",
            ["namespace"] = "SoracomAir",
        };

        var document = (await op.GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json;
        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(m => (Path: p.Key, Method: m.Key.ToUpperInvariant(), Operation: m.Value!.AsObject())))
            .ToList();
        operations.Count.ShouldBeGreaterThan(50);

        var run = new CorpusRun(server, await SnapshotAsync(server));
        foreach (var (template, method, operation) in operations)
        {
            var client = template.StartsWith("/v1/gateway/", StringComparison.Ordinal) ? gateway : op;
            var parameters = System.Text.RegularExpressions.Regex.Matches(template, @"\{([^}]+)\}").Select(m => m.Groups[1].Value).ToList();
            string PathWith(string? odd, string? oddValue) => System.Text.RegularExpressions.Regex.Replace(template, @"\{([^}]+)\}", m =>
                m.Groups[1].Value == odd ? oddValue! : values.GetValueOrDefault(m.Groups[1].Value, "1"));
            var validPath = PathWith(null, null);
            var schema = RequestSchema(method, template, operation);

            // Odd path values, one parameter at a time (the others name real things); no body.
            foreach (var parameter in parameters)
            {
                foreach (var odd in OddPathValues)
                {
                    await run.SendAsync(client, method, PathWith(parameter, odd), null, requireRejection: true);
                }
            }

            if (method == "GET")
            {
                foreach (var query in OddQueries)
                {
                    await run.SendAsync(client, method, validPath + "?" + query, null, requireRejection: false);
                }
            }

            if (schema is null)
            {
                continue;
            }

            foreach (var body in RawBodies.Select(Encoding.UTF8.GetBytes).Append(InvalidUtf8()).Concat(Mutations(schema.Value.Schema, schema.Value.Components)))
            {
                await run.SendAsync(client, method, validPath, body, requireRejection: false);
            }
        }

        run.Rejected.ShouldBeGreaterThan(run.Sent * 8 / 10, $"most of the corpus must be rejected; {run.Sent} sent");
        run.Failures.ShouldBeEmpty();
    }

    private static byte[] InvalidUtf8() => [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xC0, 0x80, (byte)'"', (byte)'}'];

    /// <summary>The request body schema of the official operation with this method and path, else a generic object when the published document has a body.</summary>
    private static (JsonNode Schema, JsonObject Components)? RequestSchema(string method, string template, JsonObject published)
    {
        var concrete = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", "x");
        var official = Spec.Find(method, concrete);
        var schema = official?.Node["requestBody"]?["content"]?["application/json"]?["schema"];
        if (schema is not null)
        {
            return (schema, official!.Components);
        }

        return published.ContainsKey("requestBody") || method is "PUT" || (method is "POST" && official?.Node.ContainsKey("requestBody") == true)
            ? (new JsonObject { ["type"] = "object" }, new JsonObject())
            : null;
    }

    /// <summary>A sample built from the schema, then each kind of damage applied to it.</summary>
    private static IEnumerable<byte[]> Mutations(JsonNode schema, JsonObject components)
    {
        var resolved = Resolve(schema, components);
        var isArray = TypeOf(resolved) == "array";
        var itemSchema = isArray ? Resolve(resolved!["items"], components) : resolved;
        var sample = Sample(itemSchema, components, 0) as JsonObject ?? [];
        string Wrap(string item) => isArray ? "[" + item + "]" : item;

        yield return Encoding.UTF8.GetBytes(Wrap(sample.ToJsonString()));
        var withUnknown = (JsonObject)sample.DeepClone();
        withUnknown["unknownField\u00e9"] = new JsonObject { ["x"] = 1 };
        yield return Encoding.UTF8.GetBytes(Wrap(withUnknown.ToJsonString()));

        var properties = (itemSchema?["properties"] as JsonObject)?.Take(8).ToList() ?? [];
        if (properties.Count > 0)
        {
            var first = properties[0].Key;
            var text = sample.ToJsonString();
            yield return Encoding.UTF8.GetBytes(Wrap(text.Insert(1, $"\"{first}\":null,")));
        }

        foreach (var (name, propertySchema) in properties)
        {
            var type = TypeOf(Resolve(propertySchema, components)) ?? "object";
            var missing = (JsonObject)sample.DeepClone();
            missing.Remove(name);
            yield return Encoding.UTF8.GetBytes(Wrap(missing.ToJsonString()));

            var literals = new List<string>
            {
                type switch { "string" => "12345", "integer" or "number" => "\"abc\"", "boolean" => "\"yes\"", "array" => "{}", _ => "[1]" },
            };
            if (type is "integer" or "number" or "string")
            {
                literals.AddRange(HugeNumbers);
            }

            if (type is "string")
            {
                literals.Add("\"" + new string('x', 70_000) + "\"");
                literals.Add("\"a\\u0001b\"");
                literals.Add("\"\\ud83d\"");
            }

            foreach (var literal in literals)
            {
                var damaged = (JsonObject)sample.DeepClone();
                damaged[name] = "__RAW__";
                yield return Encoding.UTF8.GetBytes(Wrap(damaged.ToJsonString().Replace("\"__RAW__\"", literal, StringComparison.Ordinal)));
            }
        }
    }

    /// <summary>The schema's type; the contract's nullable types are arrays such as ["string","null"].</summary>
    private static string? TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => null,
    };

    private static JsonNode? Resolve(JsonNode? schema, JsonObject components)
    {
        for (var depth = 0; depth < 10 && schema?["$ref"]?.GetValue<string>() is { } reference; depth++)
        {
            schema = components["schemas"]?[reference.Split('/')[^1]];
        }

        if (schema?["allOf"] is JsonArray all)
        {
            var merged = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            foreach (var part in all)
            {
                foreach (var (name, property) in Resolve(part, components)?["properties"] as JsonObject ?? [])
                {
                    merged["properties"]![name] = property?.DeepClone();
                }
            }

            return merged;
        }

        return schema;
    }

    private static JsonNode? Sample(JsonNode? schema, JsonObject components, int depth)
    {
        schema = Resolve(schema, components);
        if (schema?["enum"] is JsonArray { Count: > 0 } options)
        {
            return options[0]?.DeepClone();
        }

        return (TypeOf(schema) ?? (schema?["properties"] is not null ? "object" : "string")) switch
        {
            "integer" => 1,
            "number" => 1.5,
            "boolean" => true,
            "array" => depth > 3 ? new JsonArray() : new JsonArray(Sample(schema!["items"], components, depth + 1)),
            "object" => depth > 3 ? new JsonObject() : new JsonObject((schema?["properties"] as JsonObject ?? [])
                .Select(p => KeyValuePair.Create(p.Key, Sample(p.Value, components, depth + 1)))),
            _ => "ab",
        };
    }

    /// <summary>A hash of every row of every table but EF's migration history, per table.</summary>
    private static async Task<string> SnapshotAsync(ServerFixture server)
    {
        await using var db = DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = server.Kind == DatabaseKind.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var all = new StringBuilder();
        if (server.Kind == DatabaseKind.Postgres)
        {
            // One round trip: each table's rows as text, sorted and hashed by the server.
            await using var hash = connection.CreateCommand();
            hash.CommandText = string.Join(" UNION ALL ", tables.Where(t => !TechnicalTables.Contains(t)).Select(t =>
                $"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM \"{t}\" x")) + " ORDER BY 1";
            await using var reader = await hash.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                all.Append(reader.GetString(0)).Append(':').Append(reader.GetString(1)).Append('\n');
            }

            return all.ToString();
        }

        foreach (var table in tables.Where(t => !TechnicalTables.Contains(t)))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            var rows = await ReadRowsAsync(select);
            rows.Sort(StringComparer.Ordinal);
            all.Append(table).Append(':').Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", rows))))).Append('\n');
        }

        return all.ToString();
    }

    private static async Task<List<string>> ReadRowsAsync(DbCommand select)
    {
        var rows = new List<string>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetValue(i);
                row.Append(value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\u001f');
            }

            rows.Add(row.ToString());
        }

        return rows;
    }

    /// <summary>Sends one request and checks it; a rejected request must leave the database as it was.</summary>
    private sealed class CorpusRun(ServerFixture server, string snapshot)
    {
        private string last = snapshot;

        public int Sent { get; private set; }

        public int Rejected { get; private set; }

        public List<string> Failures { get; } = [];

        public async Task SendAsync(ApiClient client, string method, string path, byte[]? body, bool requireRejection)
        {
            Sent++;
            var what = $"{method} {Shorten(path)} {(body is null ? "" : Shorten(Encoding.UTF8.GetString(body)))}";
            ApiResponse response;
            try
            {
                response = body is null
                    ? await client.SendAsync(new HttpMethod(method), path, null)
                    : await BadInputTests.SendBytesAsync(client, new HttpMethod(method), path, body);
            }
            catch (ContractViolationException e)
            {
                Failures.Add($"{what}: {Shorten(e.Message)}");
                return;
            }

            var status = (int)response.Status;
            var now = await SnapshotAsync(server);
            if (status is >= 400 and < 500)
            {
                Rejected++;
                if (now != last)
                {
                    Failures.Add($"{what}: answered {status} but changed {string.Join(", ", Changed(last, now))}");
                }
            }
            else if (requireRejection)
            {
                Failures.Add($"{what}: answered {status} for a path parameter that names nothing");
            }

            last = now;
        }

        private static IEnumerable<string> Changed(string before, string after)
        {
            var old = before.Split('\n').ToHashSet();
            return after.Split('\n').Where(l => !old.Contains(l)).Select(l => l.Split(':')[0]);
        }

        private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + $"…({text.Length})";
    }

}

public sealed class BadInputCorpusTests_Sqlite(SqliteServer server) : BadInputCorpusTests(server), IClassFixture<SqliteServer>;

public sealed class BadInputCorpusTests_Postgres(PostgresServer server) : BadInputCorpusTests(server), IClassFixture<PostgresServer>;
