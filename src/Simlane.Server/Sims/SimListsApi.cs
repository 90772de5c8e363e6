namespace Simlane.Server.Sims;

/// <summary><c>GET /v1/sims</c> and <c>GET /v1/subscribers</c> with filters and paging.</summary>
public static class SimListsApi
{
    public static void Map(RouteGroupBuilder sims, RouteGroupBuilder subscribers)
    {
    }
}
