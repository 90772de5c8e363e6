namespace Simlane.Server.Infrastructure;

/// <summary>
/// Where the web console's files are (docs/console.md). ASP.NET looks for <c>wwwroot</c> under the content root, the
/// working directory; a published server started from elsewhere (<c>dotnet /opt/simlane/simlane-server.dll</c>, the
/// command docs/operations.md gives) has its <c>wwwroot</c> next to the binary instead, and would serve no console.
/// </summary>
public static class ShippedWebRoot
{
    /// <summary>
    /// The <c>wwwroot</c> next to the binary (<paramref name="baseDirectory"/>) when the working directory has none and the
    /// binary's folder has one; else null (ASP.NET's default: <c>wwwroot</c> under the content root).
    /// </summary>
    public static string? Resolve(string workingDirectory, string baseDirectory)
    {
        if (Directory.Exists(Path.Combine(workingDirectory, "wwwroot")))
        {
            return null;
        }

        var shipped = Path.Combine(baseDirectory, "wwwroot");
        return Directory.Exists(shipped) ? shipped : null;
    }
}
