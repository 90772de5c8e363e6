namespace Simlane.Server.Actions.Aws;

/// <summary>Section <c>Simlane:Lambda</c>: how InvokeAWSLambdaAction calls Lambda (docs/actions.md, "AWS Lambda").</summary>
public sealed class LambdaOptions
{
    public const string Section = "Simlane:Lambda";

    public static readonly IReadOnlyList<string> InvocationTypes = ["RequestResponse", "Event"];

    /// <summary>How long one Invoke may take, connection included; longer is a transient failure (retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The signing region when the endpoint's host does not name one (<c>lambda.REGION.amazonaws.com</c> does):
    /// a proxy, a VPC endpoint under another name, a local emulator.
    /// </summary>
    public string DefaultRegion { get; set; } = "us-east-1";

    /// <summary>
    /// <c>RequestResponse</c> (default): wait for the function, so a function error is seen and recorded.
    /// <c>Event</c>: Lambda queues the event and answers 202 at once; function errors are then only in AWS.
    /// </summary>
    public string InvocationType { get; set; } = "RequestResponse";

    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(15))
        {
            throw new InvalidOperationException("Simlane:Lambda:Timeout must be more than 0 and at most 15 minutes");
        }

        if (string.IsNullOrWhiteSpace(DefaultRegion))
        {
            throw new InvalidOperationException("Simlane:Lambda:DefaultRegion must not be empty");
        }

        if (!InvocationTypes.Contains(InvocationType))
        {
            throw new InvalidOperationException("Simlane:Lambda:InvocationType must be RequestResponse or Event");
        }
    }
}
