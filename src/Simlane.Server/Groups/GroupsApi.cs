using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Groups;
using Simlane.Server.Auth;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Groups;

/// <summary><c>/v1/groups</c>.</summary>
public static class GroupsApi
{
    public const int MaxPageSize = 100;

    public static void Map(RouteGroupBuilder groups)
    {
        groups.MapGet("/", ListAsync).WithName("listGroups").Produces<GroupView[]>();
        groups.MapPost("/", CreateAsync).WithName("createGroup").Accepts<CreateGroupRequest>("application/json").Produces<GroupView>(StatusCodes.Status201Created);
        groups.MapGet("/{group_id}", async (string group_id, GroupAccess access) =>
                Results.Json(GroupView.From(await access.GetAsync(group_id)), Json.Options))
            .WithName("getGroup").Produces<GroupView>();
        groups.MapDelete("/{group_id}", DeleteAsync).WithName("deleteGroup").Produces(StatusCodes.Status204NoContent);
        groups.MapGet("/{group_id}/subscribers", ListSimsInGroupAsync).WithName("listSubscribersInGroup").Produces<SimView[]>();

        groups.MapPut("/{group_id}/configuration/{namespace}", async (string group_id, string @namespace, HttpRequest request, GroupAccess access) =>
            {
                var parameters = await ReadParametersAsync(request);
                var group = await access.ChangeAsync(group_id, (g, now) => g.PutParameters(@namespace, parameters, now));
                return Results.Json(GroupView.From(group), Json.Options);
            })
            .WithName("putConfigurationParameters").Accepts<ConfigurationParameterRequest[]>("application/json").Produces<GroupView>();
        groups.MapDelete("/{group_id}/configuration/{namespace}", async (string group_id, string @namespace, GroupAccess access) =>
            {
                await access.ChangeAsync(group_id, (g, now) =>
                {
                    Group.EnsureKnownNamespace(@namespace);
                    g.DeleteNamespace(@namespace, now);
                });
                return Results.NoContent();
            })
            .WithName("deleteConfigurationNamespace").Produces(StatusCodes.Status204NoContent);
        groups.MapDelete("/{group_id}/configuration/{namespace}/{name}", async (string group_id, string @namespace, string name, HttpContext context, GroupAccess access) =>
            {
                await access.ChangeAsync(group_id, (g, now) =>
                {
                    Group.EnsureKnownNamespace(@namespace);
                    g.DeleteParameter(@namespace, Paging.LastPathSegment(context, name), now);
                });
                return Results.NoContent();
            })
            .WithName("deleteConfigurationParameter").Produces(StatusCodes.Status204NoContent);

        groups.MapPut("/{group_id}/tags", async (string group_id, HttpRequest request, GroupAccess access) =>
            {
                var tags = await TagRequests.ReadAsync(request);
                var group = await access.ChangeAsync(group_id, (g, now) => g.PutTags(tags, now));
                return Results.Json(GroupView.From(group), Json.Options);
            })
            .WithName("putGroupTags").Accepts<TagUpdateRequest[]>("application/json").Produces<GroupView>();
        groups.MapDelete("/{group_id}/tags/{tag_name}", async (string group_id, string tag_name, HttpContext context, GroupAccess access) =>
            {
                await access.ChangeAsync(group_id, (g, now) => g.DeleteTag(Paging.LastPathSegment(context, tag_name), now));
                return Results.NoContent();
            })
            .WithName("deleteGroupTag").Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> ListAsync(HttpContext context, GroupAccess access)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, defaultValue: MaxPageSize, max: MaxPageSize, clampAboveMax: true);
        var after = QueryParams.Cursor(query);
        var tag = TagFilter.Parse(query);

        var groups = access.Owned().AsNoTracking();
        if (tag is not null)
        {
            var (name, value) = (tag.Name, tag.Value);
            groups = tag.Prefix
                ? groups.Where(g => g.Tags.Any(t => t.Name == name && t.Value.Length >= value.Length && t.Value.Substring(0, value.Length) == value))
                : groups.Where(g => g.Tags.Any(t => t.Name == name && t.Value == value));
        }

        var page = await groups.PageByKeyAsync(context, g => g.GroupId, after, limit);
        return Results.Json(page.Select(GroupView.From).ToList(), Json.Options);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SimlaneDb db, Caller caller, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<CreateGroupRequest>(request, required: false);
        var tags = TagRequests.FromTagSet(body.Tags, "tags");
        foreach (var (name, value) in tags)
        {
            if (value is null)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"tags.{name} must be a string");
            }
        }

        var now = clock.NowMs();
        var group = new Group { GroupId = Guid.NewGuid().ToString("D"), OperatorId = caller.OperatorId, CreatedTime = now, LastModifiedTime = now };
        if (body.Configuration is not null)
        {
            group.ReplaceConfiguration(body.Configuration, now);
        }

        if (tags.Count > 0)
        {
            group.PutTags(tags, now);
        }

        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return Results.Json(GroupView.From(group), Json.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(string group_id, GroupAccess access, SimlaneDb db)
    {
        var group = await access.GetAsync(group_id, track: true);

        // Any SIM still attached (whatever its status, terminated included) keeps the group alive.
        if (await db.Sims.AnyAsync(s => s.GroupId == group_id))
        {
            throw new SimlaneException(ErrorCodes.GroupNotEmpty, $"Group '{group_id}' still has SIMs; remove them with unset_group first");
        }

        db.Groups.Remove(group);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted concurrently by another request: the second delete sees a missing group.
            throw new SimlaneException(ErrorCodes.GroupNotFound, $"No group '{group_id}'");
        }
        catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            // A SIM joined the group between the check above and the delete.
            throw new SimlaneException(ErrorCodes.GroupNotEmpty, $"Group '{group_id}' still has SIMs; remove them with unset_group first");
        }

        return Results.NoContent();
    }

    private static async Task<IResult> ListSimsInGroupAsync(string group_id, HttpContext context, GroupAccess access, SimAccess sims)
    {
        var query = context.Request.Query;
        var limit = QueryParams.Limit(query, defaultValue: MaxPageSize, max: MaxPageSize, clampAboveMax: true);
        var after = QueryParams.Cursor(query);
        await access.GetAsync(group_id);

        var members = sims.Owned().AsNoTracking().Where(s => s.GroupId == group_id);
        var page = await members.PageByKeyAsync(context, s => s.SimId, after, limit);
        return Results.Json(await sims.SimViewsAsync(page), Json.Options);
    }


    /// <summary>Reads a <c>[{"key","value"}]</c> body; both fields are required on every item, the value may be any JSON.</summary>
    private static async Task<IReadOnlyList<KeyValuePair<string, JsonNode?>>> ReadParametersAsync(HttpRequest request)
    {
        var array = await JsonBody.ReadArrayAsync(request);
        var parameters = new List<KeyValuePair<string, JsonNode?>>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"[{i}] must be an object with key and value");
            }

            if (!item.TryGetPropertyValue("key", out var keyNode) || keyNode is null)
            {
                throw new SimlaneException(ErrorCodes.MissingField, $"[{i}].key is required");
            }

            if (keyNode is not JsonValue keyValue || !keyValue.TryGetValue<string>(out var key))
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"[{i}].key must be a string");
            }

            if (key.Length == 0)
            {
                throw new SimlaneException(ErrorCodes.InvalidField, $"[{i}].key must not be empty");
            }

            if (!item.TryGetPropertyValue("value", out var value))
            {
                throw new SimlaneException(ErrorCodes.MissingField, $"[{i}].value is required");
            }

            parameters.Add(KeyValuePair.Create(key, value));
        }

        return parameters;
    }
}

public sealed class CreateGroupRequest
{
    public Dictionary<string, string>? Tags { get; set; }

    public JsonObject? Configuration { get; set; }
}

public sealed class ConfigurationParameterRequest
{
    public string? Key { get; set; }

    public JsonNode? Value { get; set; }
}

/// <summary>The <c>tag_name</c> / <c>tag_value</c> / <c>tag_value_match_mode</c> filter shared by list APIs.</summary>
public sealed record TagFilter(string Name, string Value, bool Prefix)
{
    public static TagFilter? Parse(IQueryCollection query)
    {
        var name = QueryParams.Text(query, "tag_name");
        var value = QueryParams.Text(query, "tag_value");
        var mode = QueryParams.Enum(query, "tag_value_match_mode", ["exact", "prefix"]) ?? "exact";
        if (name is null)
        {
            return value is null
                ? null
                : throw new SimlaneException(ErrorCodes.InvalidQueryParameter, "tag_value: requires tag_name");
        }

        return value is null
            ? throw new SimlaneException(ErrorCodes.InvalidQueryParameter, "tag_value: is required when tag_name is given")
            : new TagFilter(name, value, mode == "prefix");
    }
}

/// <summary>Loads the caller's groups and saves changes to them. Another operator's group looks exactly like a missing one.</summary>
public sealed class GroupAccess(SimlaneDb db, Caller caller, TimeProvider clock)
{
    /// <summary>Lets handlers take a <see cref="GroupAccess"/> parameter without a service registration.</summary>
    public static ValueTask<GroupAccess?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<GroupAccess?>(ActivatorUtilities.CreateInstance<GroupAccess>(context.RequestServices));

    public IQueryable<Group> Owned() => db.Groups.Include(g => g.Tags).Where(g => g.OperatorId == caller.OperatorId);

    public async Task<Group> GetAsync(string groupId, bool track = false)
    {
        var query = track ? Owned() : Owned().AsNoTracking();
        return await query.SingleOrDefaultAsync(g => g.GroupId == groupId)
            ?? throw new SimlaneException(ErrorCodes.GroupNotFound, $"No group '{groupId}'");
    }

    /// <summary>
    /// Applies <paramref name="change"/> (a Core method that validates before it mutates) and saves. A
    /// concurrent change to the same group is retried on fresh state; a group deleted meanwhile is 404.
    /// </summary>
    public async Task<Group> ChangeAsync(string groupId, Action<Group, long> change)
    {
        const int maxAttempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var group = await GetAsync(groupId, track: true);
            change(group, clock.NowMs());
            try
            {
                await db.SaveChangesAsync();
                return group;
            }
            catch (DbUpdateException e) when (DbErrors.IsRetryable(e) && attempt < maxAttempts)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateException e) when (DbErrors.IsRetryable(e))
            {
                throw new SimlaneException(ErrorCodes.Conflict);
            }
        }
    }
}
