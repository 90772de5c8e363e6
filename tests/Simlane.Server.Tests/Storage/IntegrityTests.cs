using System.Net;
using Microsoft.EntityFrameworkCore;
using Simlane.Server.Tests.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Tests.Storage;

/// <summary>
/// What the database itself guarantees, below the API's own checks: a group with SIMs cannot be deleted
/// (even by a delete racing a set_group), and concurrent writers to one group or SIM cannot both win.
/// </summary>
public abstract class IntegrityTests(ServerFixture server)
{
    private SimlaneDb Db() => DatabaseOptions.Parse(server.Database.ConnectionString).CreateContext();

    private async Task<(string GroupId, string SimId)> GroupWithSimAsync()
    {
        var op = await server.NewOperatorAsync();
        var groupId = (await op.PostAsync("/v1/groups", new { tags = new { name = "g" } })).ShouldBe(HttpStatusCode.Created).Str("groupId");
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");
        (await op.PostAsync($"/v1/sims/{simId}/set_group", new { groupId })).ShouldBe(HttpStatusCode.OK);
        return (groupId, simId);
    }

    [Fact]
    public async Task DeletingAGroupThatHasSims_IsRefusedByTheDatabase()
    {
        var (groupId, _) = await GroupWithSimAsync();
        await using var db = Db();
        db.Groups.Remove(await db.Groups.SingleAsync(g => g.GroupId == groupId));
        var error = await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        DbErrors.IsForeignKeyViolation(error).ShouldBeTrue(error.InnerException?.Message);
    }

    [Fact]
    public async Task PointingASimAtAMissingGroup_IsRefusedByTheDatabase()
    {
        var (_, simId) = await GroupWithSimAsync();
        await using var db = Db();
        (await db.Sims.SingleAsync(s => s.SimId == simId)).GroupId = Guid.NewGuid().ToString();
        var error = await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        DbErrors.IsForeignKeyViolation(error).ShouldBeTrue(error.InnerException?.Message);
    }

    [Fact]
    public async Task TwoWritersOfOneGroup_TheSecondIsRejected()
    {
        var (groupId, _) = await GroupWithSimAsync();
        await using var first = Db();
        await using var second = Db();
        var a = await first.Groups.Include(g => g.Tags).SingleAsync(g => g.GroupId == groupId);
        var b = await second.Groups.Include(g => g.Tags).SingleAsync(g => g.GroupId == groupId);
        a.PutParameters("SoracomAir", [KeyValuePair.Create("owner", (System.Text.Json.Nodes.JsonNode?)"a")], 1);
        b.PutParameters("SoracomAir", [KeyValuePair.Create("owner", (System.Text.Json.Nodes.JsonNode?)"b")], 2);

        await first.SaveChangesAsync();
        await Should.ThrowAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task TwoWritersAddingTheSameNewTag_TheLoserSeesARetryableUniqueViolation()
    {
        var (groupId, simId) = await GroupWithSimAsync();
        await using var first = Db();
        await using var second = Db();
        var a = await first.Sims.Include(s => s.Subscriptions).Include(s => s.Tags).SingleAsync(s => s.SimId == simId);
        var b = await second.Sims.Include(s => s.Subscriptions).Include(s => s.Tags).SingleAsync(s => s.SimId == simId);
        a.PutTags([KeyValuePair.Create("owner", "a")], 1);
        b.PutTags([KeyValuePair.Create("owner", "b")], 2);

        await first.SaveChangesAsync();
        var error = await Should.ThrowAsync<DbUpdateException>(() => second.SaveChangesAsync());
        DbErrors.IsRetryable(error).ShouldBeTrue(error.InnerException?.Message);
        DbErrors.IsForeignKeyViolation(error).ShouldBeFalse();
        groupId.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task ParallelRequestsOnOneSim_AllSucceedAndNoUpdateIsLost()
    {
        var op = await server.NewOperatorAsync();
        var simId = (await op.CreateRegisteredSimAsync()).Str("simId");

        // Bounded: 8 concurrent writers, each adding its own tag and the same new shared tag.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            op.PutAsync($"/v1/sims/{simId}/tags", new[] { new { tagName = $"t{i}", tagValue = "x" }, new { tagName = "shared", tagValue = $"{i}" } })));
        responses.ShouldAllBe(r => r.Status == HttpStatusCode.OK || r.Status == HttpStatusCode.Conflict);

        var tags = (await op.GetAsync($"/v1/sims/{simId}")).ShouldBe(HttpStatusCode.OK).Json["tags"]!.AsObject();
        for (var i = 0; i < 8; i++)
        {
            if (responses[i].Status == HttpStatusCode.OK)
            {
                tags.ContainsKey($"t{i}").ShouldBeTrue($"the acknowledged tag t{i} was lost");
            }
        }

        tags.ContainsKey("shared").ShouldBeTrue();
    }

    [Fact]
    public async Task TwoWritersOfOneSim_TheSecondIsRejected()
    {
        var (_, simId) = await GroupWithSimAsync();
        await using var first = Db();
        await using var second = Db();
        var a = await first.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == simId);
        var b = await second.Sims.Include(s => s.Subscriptions).SingleAsync(s => s.SimId == simId);
        a.ChangeStatus(Core.Sims.SimStatus.Active, 1);
        b.ChangeStatus(Core.Sims.SimStatus.Suspended, 2);

        await first.SaveChangesAsync();
        await Should.ThrowAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }
}

public sealed class IntegrityTests_Sqlite(SqliteServer server) : IntegrityTests(server), IClassFixture<SqliteServer>;

public sealed class IntegrityTests_Postgres(PostgresServer server) : IntegrityTests(server), IClassFixture<PostgresServer>;
