using System.Text;
using System.Text.Json.Nodes;
using Simlane.Core.Errors;
using Simlane.Core.Groups;

namespace Simlane.Core.Tests;

public class GroupTests
{
    private const long Created = 1_700_000_000_000;
    private const long Now = 1_800_000_000_000;

    // The serialized configuration is {"SoracomAir":{"k":"<value>"}}; this is its size without the value.
    private static readonly int Overhead = Encoding.UTF8.GetByteCount("{\"SoracomAir\":{\"k\":\"\"}}");

    private static Group NewGroup() => new()
    {
        GroupId = "00000000-0000-0000-0000-000000000001",
        OperatorId = "OP0012345678",
        CreatedTime = Created,
        LastModifiedTime = Created,
    };

    private static KeyValuePair<string, JsonNode?> Param(string key, JsonNode? value) => new(key, value);

    private static JsonObject Config(Group group) => group.ConfigurationObject();

    [Fact]
    public void PutParameters_NewNamespace_CreatesNamespaceWithKeys()
    {
        var group = NewGroup();

        group.PutParameters("SoracomAir", [Param("useCustomDns", true), Param("dnsServers", new JsonArray("8.8.8.8"))], Now);

        var air = Config(group)["SoracomAir"].ShouldBeOfType<JsonObject>();
        air["useCustomDns"]!.GetValue<bool>().ShouldBeTrue();
        air["dnsServers"]![0]!.GetValue<string>().ShouldBe("8.8.8.8");
        group.LastModifiedTime.ShouldBe(Now);
    }

    [Fact]
    public void PutParameters_ExistingKeys_UpsertsAndKeepsOtherKeysAndNamespaces()
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1), Param("b", 2)], Now);
        group.PutParameters("SoracomHarvest", [Param("enabled", true)], Now);

        group.PutParameters("SoracomAir", [Param("b", 20), Param("c", new JsonObject { ["x"] = "y" })], Now + 1);

        var config = Config(group);
        var air = config["SoracomAir"].ShouldBeOfType<JsonObject>();
        air.Count.ShouldBe(3);
        air["a"]!.GetValue<int>().ShouldBe(1);
        air["b"]!.GetValue<int>().ShouldBe(20);
        air["c"]!["x"]!.GetValue<string>().ShouldBe("y");
        config["SoracomHarvest"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void PutParameters_NullValue_StoresJsonNull()
    {
        var group = NewGroup();

        group.PutParameters("SoracomAir", [Param("userdata", null)], Now);

        var air = Config(group)["SoracomAir"].ShouldBeOfType<JsonObject>();
        air.ContainsKey("userdata").ShouldBeTrue();
        air["userdata"].ShouldBeNull();
    }

    [Theory]
    [InlineData("SoracomUnknown")]
    [InlineData("soracomair")]
    [InlineData("")]
    public void PutParameters_UnknownNamespace_ThrowsUnknownNamespaceAndKeepsConfiguration(string ns)
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1)], Now);
        var before = group.Configuration;

        Should.Throw<SimlaneException>(() => group.PutParameters(ns, [Param("a", 2)], Now + 1)).Error.ShouldBe(ErrorCodes.UnknownNamespace);

        group.Configuration.ShouldBe(before);
        group.LastModifiedTime.ShouldBe(Now);
    }

    [Fact]
    public void ReplaceConfiguration_UnknownNamespace_ThrowsUnknownNamespace()
    {
        var group = NewGroup();

        Should.Throw<SimlaneException>(() => group.ReplaceConfiguration(new JsonObject { ["Nope"] = new JsonObject() }, Now))
            .Error.ShouldBe(ErrorCodes.UnknownNamespace);

        group.Configuration.ShouldBe("{}");
    }

    [Fact]
    public void DeleteParameter_OneOfTwoKeys_KeepsNamespace()
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1), Param("b", 2)], Now);

        group.DeleteParameter("SoracomAir", "a", Now + 1);

        var air = Config(group)["SoracomAir"].ShouldBeOfType<JsonObject>();
        air.ContainsKey("a").ShouldBeFalse();
        air["b"]!.GetValue<int>().ShouldBe(2);
        group.LastModifiedTime.ShouldBe(Now + 1);
    }

    [Fact]
    public void DeleteParameter_LastKey_RemovesNamespace()
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1)], Now);
        group.PutParameters("SoracomBeam", [Param("b", 1)], Now);

        group.DeleteParameter("SoracomAir", "a", Now + 1);

        var config = Config(group);
        config.ContainsKey("SoracomAir").ShouldBeFalse();
        config.ContainsKey("SoracomBeam").ShouldBeTrue();
    }

    [Fact]
    public void DeleteParameter_UnknownKey_ThrowsConfigurationKeyNotFound()
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1)], Now);
        var before = group.Configuration;

        Should.Throw<SimlaneException>(() => group.DeleteParameter("SoracomAir", "zz", Now + 1)).Error.ShouldBe(ErrorCodes.ConfigurationKeyNotFound);

        group.Configuration.ShouldBe(before);
    }

    [Fact]
    public void DeleteParameter_NamespaceNotSet_ThrowsNamespaceNotFound()
    {
        var group = NewGroup();

        Should.Throw<SimlaneException>(() => group.DeleteParameter("SoracomAir", "a", Now)).Error.ShouldBe(ErrorCodes.NamespaceNotFound);
    }

    [Fact]
    public void DeleteNamespace_Existing_RemovesIt()
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1)], Now);
        group.PutParameters("SoracomBeam", [Param("b", 1)], Now);

        group.DeleteNamespace("SoracomAir", Now + 1);

        Config(group).ContainsKey("SoracomAir").ShouldBeFalse();
        Config(group).ContainsKey("SoracomBeam").ShouldBeTrue();
        group.LastModifiedTime.ShouldBe(Now + 1);
    }

    [Theory]
    [InlineData("SoracomFunk")]
    [InlineData("NotANamespace")]
    public void DeleteNamespace_NotSet_ThrowsNamespaceNotFoundAndKeepsConfiguration(string ns)
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("a", 1)], Now);
        var before = group.Configuration;

        Should.Throw<SimlaneException>(() => group.DeleteNamespace(ns, Now + 1)).Error.ShouldBe(ErrorCodes.NamespaceNotFound);

        group.Configuration.ShouldBe(before);
        group.LastModifiedTime.ShouldBe(Now);
    }

    [Fact]
    public void PutParameters_Exactly8192Bytes_IsAccepted()
    {
        var group = NewGroup();
        var value = new string('x', Group.MaxConfigurationBytes - Overhead);

        group.PutParameters("SoracomAir", [Param("k", value)], Now);

        Encoding.UTF8.GetByteCount(group.Configuration).ShouldBe(8192);
        Config(group)["SoracomAir"]!["k"]!.GetValue<string>().ShouldBe(value);
    }

    [Fact]
    public void PutParameters_8193Bytes_ThrowsConfigurationTooLargeAndKeepsPrevious()
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("k", "small")], Now);
        var before = group.Configuration;

        Should.Throw<SimlaneException>(() => group.PutParameters("SoracomAir", [Param("k", new string('x', Group.MaxConfigurationBytes - Overhead + 1))], Now + 1))
            .Error.ShouldBe(ErrorCodes.ConfigurationTooLarge);

        group.Configuration.ShouldBe(before);
        group.LastModifiedTime.ShouldBe(Now);
    }

    [Theory]
    [InlineData("é", 2)]
    [InlineData("あ", 3)]
    public void PutParameters_MultiByteExactly8192Bytes_IsAccepted(string ch, int bytesPerChar)
    {
        var group = NewGroup();
        var room = Group.MaxConfigurationBytes - Overhead;
        var count = room / bytesPerChar;
        var value = new string(ch[0], count) + new string('x', room - (count * bytesPerChar));
        Encoding.UTF8.GetByteCount(value).ShouldBe(room);

        group.PutParameters("SoracomAir", [Param("k", value)], Now);

        Encoding.UTF8.GetByteCount(group.Configuration).ShouldBe(8192);
        Config(group)["SoracomAir"]!["k"]!.GetValue<string>().ShouldBe(value);
    }

    [Theory]
    [InlineData("😀", 4)]
    [InlineData("\u3000", 3)]
    [InlineData("\u2028", 3)]
    [InlineData("<", 1)]
    [InlineData("&", 1)]
    [InlineData("+", 1)]
    [InlineData("'", 1)]
    public void PutParameters_ExactlyAtCapWithCharsDefaultJsonEscapes_IsAcceptedAndCountedAsUtf8(string ch, int bytesPerChar)
    {
        var group = NewGroup();
        var room = Group.MaxConfigurationBytes - Overhead;
        var count = room / bytesPerChar;
        var value = string.Concat(Enumerable.Repeat(ch, count)) + new string('x', room - (count * bytesPerChar));
        Encoding.UTF8.GetByteCount(value).ShouldBe(room);

        group.PutParameters("SoracomAir", [Param("k", value)], Now);

        Encoding.UTF8.GetByteCount(group.Configuration).ShouldBe(8192);
        Config(group)["SoracomAir"]!["k"]!.GetValue<string>().ShouldBe(value);
    }

    [Theory]
    [InlineData("é", 2)]
    [InlineData("あ", 3)]
    public void PutParameters_MultiByteOver8192Bytes_IsRefusedThoughUnder8192Chars(string ch, int bytesPerChar)
    {
        var group = NewGroup();
        group.PutParameters("SoracomAir", [Param("k", "small")], Now);
        var before = group.Configuration;
        var room = Group.MaxConfigurationBytes - Overhead;
        var count = (room / bytesPerChar) + 1;
        var value = new string(ch[0], count);
        Encoding.UTF8.GetByteCount(value).ShouldBeGreaterThan(room);
        value.Length.ShouldBeLessThan(room);

        Should.Throw<SimlaneException>(() => group.PutParameters("SoracomAir", [Param("k", value)], Now + 1))
            .Error.ShouldBe(ErrorCodes.ConfigurationTooLarge);

        group.Configuration.ShouldBe(before);
    }

    [Fact]
    public void ReplaceConfiguration_8193Bytes_ThrowsConfigurationTooLargeAndKeepsPrevious()
    {
        var group = NewGroup();
        group.ReplaceConfiguration(new JsonObject { ["SoracomAir"] = new JsonObject { ["k"] = new string('x', Group.MaxConfigurationBytes - Overhead) } }, Now);
        Encoding.UTF8.GetByteCount(group.Configuration).ShouldBe(8192);
        var before = group.Configuration;

        Should.Throw<SimlaneException>(() => group.ReplaceConfiguration(
                new JsonObject { ["SoracomAir"] = new JsonObject { ["k"] = new string('x', Group.MaxConfigurationBytes - Overhead + 1) } }, Now + 1))
            .Error.ShouldBe(ErrorCodes.ConfigurationTooLarge);

        group.Configuration.ShouldBe(before);
    }

    [Theory]
    [InlineData("quote \" and backslash \\ and slash /")]
    [InlineData("literal \\u0041 and \\\\u00e9 text")]
    [InlineData("control \n\t\r\u0001\u001f end")]
    [InlineData("lone \ud800 surrogate")]
    [InlineData("mixed é あ 😀 \u3000 <&>+' end")]
    public void PutParameters_AnyStringValue_RoundTripsThroughStoredConfiguration(string value)
    {
        var group = NewGroup();

        group.PutParameters("SoracomAir", [Param("k", value), Param(value, 1)], Now);

        var air = JsonNode.Parse(group.Configuration).ShouldBeOfType<JsonObject>()["SoracomAir"].ShouldBeOfType<JsonObject>();
        air["k"]!.GetValue<string>().ShouldBe(value);
        air[value]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public void PutParameters_ControlCharacter_CountsItsJsonEscape()
    {
        var group = NewGroup();
        var room = Group.MaxConfigurationBytes - Overhead;

        // A newline is written as the two characters \n: room - 1 ASCII characters plus it is one byte too many.
        Should.Throw<SimlaneException>(() => group.PutParameters("SoracomAir", [Param("k", new string('x', room - 1) + "\n")], Now))
            .Error.ShouldBe(ErrorCodes.ConfigurationTooLarge);
        group.PutParameters("SoracomAir", [Param("k", new string('x', room - 2) + "\n")], Now);
        Encoding.UTF8.GetByteCount(group.Configuration).ShouldBe(8192);
    }

    [Fact]
    public void DeleteTag_Unknown_ThrowsTagNotFound()
    {
        var group = NewGroup();
        group.PutTags([new("name", "g1")], Now);

        Should.Throw<SimlaneException>(() => group.DeleteTag("missing", Now)).Error.ShouldBe(ErrorCodes.TagNotFound);

        group.Tags.Single().Value.ShouldBe("g1");
    }

    [Fact]
    public void PutTags_ExistingName_UpsertsAndKeepsOthers()
    {
        var group = NewGroup();
        group.PutTags([new("name", "g1"), new("env", "prod")], Now);

        group.PutTags([new("name", "g2")], Now + 1);

        group.Tags.Count.ShouldBe(2);
        group.Tags.Single(t => t.Name == "name").Value.ShouldBe("g2");
        group.Tags.Single(t => t.Name == "env").Value.ShouldBe("prod");
    }
}
