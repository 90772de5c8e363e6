namespace Simlane.Server.Auth;

/// <summary>Who is calling: set by <see cref="SoracomAuthMiddleware"/> for every authenticated request.</summary>
public sealed class Caller
{
    private string? operatorId;

    public string OperatorId => operatorId ?? throw new InvalidOperationException("The request is not authenticated.");

    public string ApiKey { get; private set; } = "";

    public bool IsAuthenticated => operatorId is not null;

    internal void Set(string id, string apiKey)
    {
        operatorId = id;
        ApiKey = apiKey;
    }
}

/// <summary>Endpoint metadata: this route works without the SORACOM credential headers.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AnonymousAttribute : Attribute;
