namespace Simlane.Server.Gateway;

/// <summary><c>/v1/gateway/sessions</c> and <c>/v1/gateway/ota</c>: session decisions and OTA progress.</summary>
public static class GatewaySessionsApi
{
    public static void Map(RouteGroupBuilder gateway, RouteGroupBuilder sims, RouteGroupBuilder subscribers)
    {
    }
}
