using Simlane.Server.Infrastructure;

namespace Simlane.Server.Tests.Operations;

/// <summary>Which <c>wwwroot</c> the console is served from, for a server started in its folder or elsewhere.</summary>
public sealed class ShippedWebRootTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("simlane-webroot-");

    [Fact]
    public void StartedElsewhere_UsesTheWwwrootNextToTheBinary()
    {
        var install = root.CreateSubdirectory("opt-simlane");
        install.CreateSubdirectory("wwwroot");
        var elsewhere = root.CreateSubdirectory("home");

        ShippedWebRoot.Resolve(elsewhere.FullName, install.FullName).ShouldBe(Path.Combine(install.FullName, "wwwroot"));
    }

    [Fact]
    public void WorkingDirectoryWithItsOwnWwwroot_KeepsASPNetsDefault()
    {
        var install = root.CreateSubdirectory("opt-simlane");
        install.CreateSubdirectory("wwwroot");
        var project = root.CreateSubdirectory("project");
        project.CreateSubdirectory("wwwroot");

        ShippedWebRoot.Resolve(project.FullName, install.FullName).ShouldBeNull("dotnet run from the project, or a customised console");
        ShippedWebRoot.Resolve(install.FullName, install.FullName).ShouldBeNull("started in its own folder");
    }

    [Fact]
    public void NoWwwrootAnywhere_KeepsASPNetsDefault()
    {
        ShippedWebRoot.Resolve(root.CreateSubdirectory("a").FullName, root.CreateSubdirectory("b").FullName).ShouldBeNull();
    }

    public void Dispose() => root.Delete(recursive: true);
}
