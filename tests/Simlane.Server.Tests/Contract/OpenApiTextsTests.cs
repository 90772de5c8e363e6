using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The server's copy of SORACOM's operation texts (src/Simlane.Server/OpenApi/operation-texts.json) is what
/// the spec says today: the server never reads ../shared, so the copy must not drift from it.
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
