using System.Net;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Sims;

/// <summary>
/// Keyset paging with limit=1: every item exactly once, also while items are added between pages;
/// x-soracom-next-key and Link on every page but the last.
/// </summary>
public abstract class PagingTests(ServerFixture server)
{
    private static string Imsi(ApiResponse sim) => sim.Json["sessionStatus"]!["imsi"]!.GetValue<string>();

    private static void ShouldBeEachOnce(List<string> listed, IEnumerable<string> expected)
    {
        listed.Distinct().Count().ShouldBe(listed.Count, "an item came twice: " + string.Join(",", listed));
        listed.ShouldBe(listed.Order(StringComparer.Ordinal).ToList());
        foreach (var id in expected)
        {
            listed.ShouldContain(id);
        }
    }

    [Fact]
    public async Task ListSims_Limit1_VisitsEverySimOnce_WhileSimsAreAdded()
    {
        var op = await server.NewOperatorAsync();
        var sims = new List<ApiResponse>();
        for (var i = 0; i < 4; i++)
        {
            sims.Add(await op.CreateRegisteredSimAsync());
        }

        var (items, pages) = await op.FetchAllAsync("/v1/sims?limit=1", async () => sims.Add(await op.CreateRegisteredSimAsync()));
        pages.ShouldBeGreaterThanOrEqualTo(4);
        ShouldBeEachOnce(items.Strings("simId"), sims.Take(4).Select(s => s.Str("simId")));
    }

    [Fact]
    public async Task ListSubscribers_Limit1_VisitsEveryImsiOnce_WhileSimsAreAdded()
    {
        var op = await server.NewOperatorAsync();
        var imsis = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            imsis.Add(Imsi(await op.CreateRegisteredSimAsync()));
        }

        var (items, _) = await op.FetchAllAsync("/v1/subscribers?limit=1", async () => await op.CreateRegisteredSimAsync());
        ShouldBeEachOnce(items.Strings("imsi"), imsis);
    }

    [Fact]
    public async Task ListSubscribers_FilteredPaging_KeepsTheFilterInLink()
    {
        var op = await server.NewOperatorAsync();
        var imsis = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            imsis.Add(Imsi(await op.CreateRegisteredSimAsync()));
        }

        var (items, pages) = await op.FetchAllAsync("/v1/subscribers?limit=1&status_filter=ready");
        pages.ShouldBe(3);
        ShouldBeEachOnce(items.Strings("imsi"), imsis);
        items.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ListGroups_Limit1_VisitsEveryGroupOnce_WhileGroupsAreAdded()
    {
        var op = await server.NewOperatorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId"));
        }

        var (items, _) = await op.FetchAllAsync("/v1/groups?limit=1", async () => (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created));
        var listed = items.Strings("groupId");
        listed.Distinct().Count().ShouldBe(listed.Count);
        foreach (var id in ids)
        {
            listed.ShouldContain(id);
        }
    }

    [Fact]
    public async Task ListSubscribersInGroup_Limit1_VisitsEverySimOnce_WhileSimsJoin()
    {
        var op = await server.NewOperatorAsync();
        var groupId = (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
            ids.Add(simId);
        }

        var (items, _) = await op.FetchAllAsync($"/v1/groups/{groupId}/subscribers?limit=1", async () =>
        {
            var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
            (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        });
        ShouldBeEachOnce(items.Strings("simId"), ids);
    }

    [Fact]
    public async Task SearchSims_Limit1_VisitsEverySimOnce_WhileSimsAreAdded()
    {
        var op = await server.NewOperatorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await op.CreateRegisteredSimAsync()).Str("simId"));
        }

        var (items, _) = await op.FetchAllAsync("/v1/query/sims?limit=1&subscription=plan01s", async () => await op.CreateRegisteredSimAsync());
        ShouldBeEachOnce(items.Strings("simId"), ids);
    }

    [Fact]
    public async Task SearchSubscribers_Limit1_VisitsEveryImsiOnce()
    {
        var op = await server.NewOperatorAsync();
        var imsis = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            imsis.Add(Imsi(await op.CreateRegisteredSimAsync()));
        }

        var (items, pages) = await op.FetchAllAsync("/v1/query/subscribers?limit=1");
        pages.ShouldBe(3);
        ShouldBeEachOnce(items.Strings("imsi"), imsis);
    }

    [Theory]
    [InlineData("/v1/sims")]
    [InlineData("/v1/subscribers")]
    [InlineData("/v1/groups")]
    public async Task List_NoLimitFewItems_ReturnsEverythingWithoutNextKey(string path)
    {
        var op = await server.NewOperatorAsync();
        for (var i = 0; i < 3; i++)
        {
            await op.CreateRegisteredSimAsync();
            (await op.PostAsync("/v1/groups", new { })).ShouldBe(HttpStatusCode.Created);
        }

        var response = (await op.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
        response.Array.Count.ShouldBe(3);
        response.Header("x-soracom-next-key").ShouldBeNull();
        response.Header("link").ShouldBeNull();
    }

    [Fact]
    public async Task ListSims_ExactlyLimitItems_LastPageHasNoNextKey()
    {
        var op = await server.NewOperatorAsync();
        await op.CreateRegisteredSimAsync();
        await op.CreateRegisteredSimAsync();
        var response = (await op.GetAsync("/v1/sims?limit=2")).ShouldBe(HttpStatusCode.OK);
        response.Array.Count.ShouldBe(2);
        response.Header("x-soracom-next-key").ShouldBeNull();
    }
}

public sealed class PagingTests_Sqlite(SqliteServer server) : PagingTests(server), IClassFixture<SqliteServer>;

public sealed class PagingTests_Postgres(PostgresServer server) : PagingTests(server), IClassFixture<PostgresServer>;
