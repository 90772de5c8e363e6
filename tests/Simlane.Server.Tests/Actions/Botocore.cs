using System.Diagnostics;
using System.Text.Json.Nodes;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// Signs a request with botocore (tests/Simlane.Server.Tests/Actions/botocore_sigv4.py) — an implementation
/// of SigV4 independent of Simlane's. Needs <c>python3</c> with botocore on PATH (or <c>SIMLANE_TEST_PYTHON</c>);
/// a missing botocore fails the test with a clear message rather than skipping the check.
/// </summary>
public static class Botocore
{
    public const string PythonVariable = "SIMLANE_TEST_PYTHON";

    public static string Script => Path.Combine(Spec.RepositoryRoot, "tests", "Simlane.Server.Tests", "Actions", "botocore_sigv4.py");

    public static async Task<BotocoreSignature> SignAsync(
        string method, string url, IEnumerable<KeyValuePair<string, string>> headers, byte[] body,
        string accessKey, string secretKey, string region, string service, string amzDate)
    {
        var input = new JsonObject
        {
            ["method"] = method,
            ["url"] = url,
            ["headers"] = new JsonArray([.. headers.Select(h => (JsonNode)new JsonArray(h.Key, h.Value))]),
            ["body_base64"] = Convert.ToBase64String(body),
            ["access_key"] = accessKey,
            ["secret_key"] = secretKey,
            ["region"] = region,
            ["service"] = service,
            ["timestamp"] = amzDate,
        };

        var python = Environment.GetEnvironmentVariable(PythonVariable);
        var start = new ProcessStartInfo(string.IsNullOrWhiteSpace(python) ? "python3" : python, [Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start python3");
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"botocore signing failed (exit {process.ExitCode}); the SigV4 cross-check needs python3 with botocore on PATH (or {PythonVariable}):\n{await stderr}");
        }

        var output = JsonNode.Parse(await stdout)!;
        return new BotocoreSignature(
            output["authorization"]!.GetValue<string>(),
            output["amz_date"]!.GetValue<string>(),
            output["canonical_request"]!.GetValue<string>(),
            output["string_to_sign"]!.GetValue<string>());
    }
}

public sealed record BotocoreSignature(string Authorization, string AmzDate, string CanonicalRequest, string StringToSign);
