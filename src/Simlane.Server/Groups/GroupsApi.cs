namespace Simlane.Server.Groups;

/// <summary><c>/v1/groups</c>.</summary>
public static class GroupsApi
{
    public static void Map(RouteGroupBuilder groups)
    {
    }
}
