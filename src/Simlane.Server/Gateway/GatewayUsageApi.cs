namespace Simlane.Server.Gateway;

/// <summary><c>/v1/gateway/usage</c>: batches of usage records into the metering path.</summary>
public static class GatewayUsageApi
{
    public static void Map(RouteGroupBuilder gateway)
    {
    }
}
