using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The server's copy of SORACOM's operation texts (src/Simlane.Server/OpenApi/operation-texts.json) is what
/// the spec says today: the server reads no YAML at run time, so the copy must not drift from spec/*.yaml.
/// </summary>
public sealed class OpenApiTextsTests
{
    [Fact]
    public void OperationTexts_AreGeneratedFromTheSpec()
    {
        var expected = OpenApiTexts.Generate();
        if (OpenApiTexts.Updating)
        {
            File.WriteAllText(OpenApiTexts.ResourcePath, expected);
        }

        var committed = File.Exists(OpenApiTexts.ResourcePath) ? File.ReadAllText(OpenApiTexts.ResourcePath) : "";
        (committed == expected).ShouldBeTrue(
            $"{OpenApiTexts.ResourcePath} differs from the spec; regenerate it with {OpenApiTexts.RegenerateCommand}");
    }

    [Fact]
    public void OperationTexts_EveryReferenceResolves()
    {
        var text = System.Text.Json.Nodes.JsonNode.Parse(OpenApiTexts.Generate())!;
        var dangling = System.Text.RegularExpressions.Regex.Matches(text.ToJsonString(), "\"#/components/(\\w+)/([^\"]+)\"")
            .Select(m => (Kind: m.Groups[1].Value, Name: m.Groups[2].Value))
            .Where(r => text["components"]?[r.Kind]?[r.Name] is null)
            .Select(r => $"{r.Kind}/{r.Name}")
            .Distinct()
            .ToList();
        dangling.ShouldBeEmpty();
    }

    [Fact]
    public void OperationTexts_CoverEveryOperationOfTheSpec()
    {
        var text = OpenApiTexts.Generate();
        foreach (var operation in Spec.Operations)
        {
            text.ShouldContain($"\"operationId\": \"{operation.OperationId}\"");
        }

        // The operations issue 12 adds in parallel are there before their endpoints are.
        foreach (var id in new[] { "exportSubscribers", "exportAirStats", "exportBilling", "exportLatestBilling", "getExportedFile",
                     "getBillingSummaryOfBillItems", "getBillingSummaryOfSims", "revokeOperatorAuthTokens", "updateOperatorPassword", "sandboxDeleteOperator" })
        {
            text.ShouldContain($"\"operationId\": \"{id}\"");
        }
    }
}
