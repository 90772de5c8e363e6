using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>PUT …/tags (upsert/merge) and DELETE …/tags/{tag_name} through /sims and /subscribers.</summary>
public abstract class TagsTests(ServerFixture server)
{
    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task PutTags_Upserts_KeepsUntouchedTagsAndAllowsEmptyValues(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        server.Clock.Advance(TimeSpan.FromSeconds(10));

        var first = (await op.PutAsync(sim.Url(route, "tags"), new[] { new { tagName = "name", tagValue = "meter" }, new { tagName = "site", tagValue = "A" } }))
            .ShouldBe(HttpStatusCode.OK);
        first.Json["tags"]!["name"]!.GetValue<string>().ShouldBe("meter");
        first.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());

        var second = (await op.PutAsync(sim.Url(route, "tags"), new[] { new { tagName = "site", tagValue = "B" }, new { tagName = "empty", tagValue = "" } }))
            .ShouldBe(HttpStatusCode.OK);
        var tags = second.Json["tags"]!.AsObject();
        tags.ToDictionary(t => t.Key, t => t.Value!.GetValue<string>()).ShouldBe(
            new Dictionary<string, string> { ["empty"] = "", ["name"] = "meter", ["site"] = "B" }, ignoreOrder: true);
        (await sim.GetAsync()).Json["tags"]!.ToJsonString().ShouldBe(tags.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task DeleteTag_Existing_Answers204AndRemovesIt(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.PutAsync(sim.Url(route, "tags"), new[] { new { tagName = "keep", tagValue = "1" }, new { tagName = "drop", tagValue = "2" } })).ShouldBe(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromSeconds(10));

        var deleted = await op.DeleteAsync(sim.Url(route, "tags/drop"));
        deleted.ShouldBe(HttpStatusCode.NoContent);
        deleted.Text.ShouldBeEmpty();
        var view = await sim.GetAsync();
        view.Json["tags"]!.AsObject().ContainsKey("drop").ShouldBeFalse();
        view.Json["tags"]!["keep"]!.GetValue<string>().ShouldBe("1");
        view.Json["lastModifiedTime"]!.GetValue<long>().ShouldBe(server.NowMs());
    }

    [Theory]
    [InlineData("sims", "with space")]
    [InlineData("subscribers", "with space")]
    [InlineData("sims", "a/b")]
    [InlineData("subscribers", "a/b")]
    [InlineData("sims", "50%+?#&=日本")]
    [InlineData("subscribers", "50%+?#&=日本")]
    public async Task DeleteTag_NameNeedingPercentEncoding_Answers204(string route, string tagName)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        (await op.PutAsync(sim.Url(route, "tags"), new[] { new { tagName, tagValue = "v" }, new { tagName = "other", tagValue = "w" } }))
            .ShouldBe(HttpStatusCode.OK).Json["tags"]![tagName]!.GetValue<string>().ShouldBe("v");

        (await op.DeleteAsync(sim.Url(route, "tags/" + Uri.EscapeDataString(tagName)))).ShouldBe(HttpStatusCode.NoContent);
        var tags = (await sim.GetAsync()).Json["tags"]!.AsObject();
        tags.ContainsKey(tagName).ShouldBeFalse();
        tags["other"]!.GetValue<string>().ShouldBe("w");
    }

    [Theory]
    [MemberData(nameof(SimTestKit.Routes), MemberType = typeof(SimTestKit))]
    public async Task DeleteTag_Unknown_Answers404AndChangesNothing(string route)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);
        server.Clock.Advance(TimeSpan.FromSeconds(10));

        (await op.DeleteAsync(sim.Url(route, "tags/nope"))).ShouldBe(HttpStatusCode.NotFound, "SEM0013");
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }

    [Theory]
    [InlineData("sims", "{\"tagName\":\"a\",\"tagValue\":\"b\"}", "COM0001")]
    [InlineData("subscribers", "[{\"tagValue\":\"b\"}]", "COM0002")]
    [InlineData("sims", "[{\"tagName\":\"a\"}]", "COM0002")]
    [InlineData("subscribers", "[{\"tagName\":\"a\",\"tagValue\":5}]", "COM0004")]
    [InlineData("sims", "[{\"tagName\":\"\",\"tagValue\":\"b\"}]", "COM0004")]
    [InlineData("subscribers", "[\"a\"]", "COM0004")]
    public async Task PutTags_BadBody_Answers400AndChangesNothing(string route, string body, string code)
    {
        var op = await server.NewOperatorAsync();
        var sim = await op.NewSimAsync();
        var before = await server.SnapshotAsync(sim);

        (await op.SendRawAsync(HttpMethod.Put, sim.Url(route, "tags"), body)).ShouldBe(HttpStatusCode.BadRequest, code);
        (await server.SnapshotAsync(sim)).ShouldBe(before);
    }
}

public sealed class TagsTests_Sqlite(SqliteServer server) : TagsTests(server), IClassFixture<SqliteServer>;

public sealed class TagsTests_Postgres(PostgresServer server) : TagsTests(server), IClassFixture<PostgresServer>;
