namespace Simlane.Server.Query;

/// <summary><c>/v1/query/sims</c> and <c>/v1/query/subscribers</c>.</summary>
public static class QueryApi
{
    public static void Map(RouteGroupBuilder query)
    {
    }
}
