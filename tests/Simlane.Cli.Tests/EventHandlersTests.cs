using System.Text.Json.Nodes;
using Simlane.Cli.Tests.Infrastructure;

namespace Simlane.Cli.Tests;

/// <summary>event-handlers create/list/get/update/delete with bodies read from files, flags overriding body fields.</summary>
public sealed class EventHandlersTests(CliServer server) : IClassFixture<CliServer>, IDisposable
{
    private readonly CliRunner cli = new(server);

    public void Dispose() => cli.Dispose();

    private string WriteHandler(string file, string imsi, string name)
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["status"] = "active",
            ["targetImsi"] = imsi,
            ["ruleConfig"] = new JsonObject
            {
                ["type"] = "SubscriberDailyTrafficRule",
                ["properties"] = new JsonObject { ["limitTotalTrafficMegaByte"] = "10", ["inactiveTimeoutDateConst"] = "BEGINNING_OF_NEXT_DAY" },
            },
            ["actionConfigList"] = new JsonArray(new JsonObject
            {
                ["type"] = "ChangeSpeedClassAction",
                ["properties"] = new JsonObject { ["executionDateTimeConst"] = "IMMEDIATELY", ["speedClass"] = "s1.minimum" },
            }),
        };
        var path = Path.Combine(cli.Home, file);
        File.WriteAllText(path, body.ToJsonString());
        return path;
    }

    [Fact]
    public async Task EventHandlers_CreateListGetUpdateDelete_FromFiles()
    {
        await cli.SignUpAndConfigureAsync();
        var (imsi, _) = await cli.NewSimAsync();

        var created = (await cli.RunAsync("event-handlers", "create", "--body", "@" + WriteHandler("create.json", imsi, "daily cap"))).ShouldSucceed();
        var handlerId = created.Str("handlerId");
        created.Str("name").ShouldBe("daily cap");
        created.Str("targetImsi").ShouldBe(imsi);

        var listed = (await cli.RunAsync("event-handlers", "list")).ShouldSucceed().Array;
        listed.Select(h => h!["handlerId"]!.GetValue<string>()).ShouldBe([handlerId]);

        (await cli.RunAsync("event-handlers", "get", "--handler-id", handlerId)).ShouldSucceed().Str("name").ShouldBe("daily cap");

        (await cli.RunAsync("event-handlers", "update", "--handler-id", handlerId, "--body", "@" + WriteHandler("update.json", imsi, "renamed cap"))).ShouldSucceed();
        (await cli.RunAsync("event-handlers", "get", "--handler-id", handlerId)).ShouldSucceed().Str("name").ShouldBe("renamed cap");

        (await cli.RunAsync("event-handlers", "list-for-subscriber", "--imsi", imsi)).ShouldSucceed().Array.Count.ShouldBe(1);

        var deleted = (await cli.RunAsync("event-handlers", "delete", "--handler-id", handlerId)).ShouldSucceed();
        deleted.Out.ShouldBeEmpty();
        (await cli.RunAsync("event-handlers", "get", "--handler-id", handlerId)).ShouldFail(1, "Error: EHM0001: ");
        (await cli.RunAsync("event-handlers", "list")).ShouldSucceed().Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Create_FlagsOverrideBodyFields()
    {
        await cli.SignUpAndConfigureAsync();
        var (imsi, _) = await cli.NewSimAsync();

        var created = (await cli.RunAsync("event-handlers", "create", "--body", "@" + WriteHandler("h.json", imsi, "from file"), "--name", "from flag", "--description", "set by --description")).ShouldSucceed();
        created.Str("name").ShouldBe("from flag");
        created.Str("description").ShouldBe("set by --description");
    }

    [Fact]
    public async Task Create_BodyFromStdin()
    {
        await cli.SignUpAndConfigureAsync();
        var (imsi, _) = await cli.NewSimAsync();
        var json = File.ReadAllText(WriteHandler("stdin.json", imsi, "from stdin"));

        (await cli.RunWithInputAsync(json, interactive: false, "event-handlers", "create", "--body", "-")).ShouldSucceed().Str("name").ShouldBe("from stdin");
    }

    [Fact]
    public async Task Create_InvalidHandler_PrintsTheServersCodeAndExits1()
    {
        await cli.SignUpAndConfigureAsync();
        var (imsi, _) = await cli.NewSimAsync();
        var run = await cli.RunAsync("event-handlers", "create", "--body", "@" + WriteHandler("bad.json", imsi, "bad"), "--status", "sometimes");
        run.ShouldFail(1, "Error: COM0004: status: ");
        run.Error.ShouldContain("(HTTP 400)");
        (await cli.RunAsync("event-handlers", "list")).ShouldSucceed().Array.Count.ShouldBe(0);
    }

    [Fact]
    public async Task DryRunAndExecutions_SimlaneExtensions_AreCommands()
    {
        await cli.SignUpAndConfigureAsync();
        var (imsi, _) = await cli.NewSimAsync();
        var handlerId = (await cli.RunAsync("event-handlers", "create", "--body", "@" + WriteHandler("h.json", imsi, "x"))).ShouldSucceed().Str("handlerId");

        var dryRun = (await cli.RunAsync("event-handlers", "dry-run", "--handler-id", handlerId)).ShouldSucceed().Json;
        dryRun["units"].ShouldBeOfType<JsonArray>();
        (await cli.RunAsync("event-handlers", "list-executions", "--handler-id", handlerId)).ShouldSucceed().Array.Count.ShouldBe(0);
        (await cli.RunAsync("event-handlers", "list-executions-for-subscriber", "--imsi", imsi)).ShouldSucceed().Array.Count.ShouldBe(0);
    }
}
