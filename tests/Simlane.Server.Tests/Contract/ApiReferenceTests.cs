using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simlane.Server.Tests.Infrastructure;

namespace Simlane.Server.Tests.Contract;

/// <summary>
/// The API reference at /docs is self-contained: the page and its assets come from this server, nothing is
/// loaded from another origin (scripts, styles, fonts), Scalar's hosted services and their buttons are off,
/// and a Content-Security-Policy makes the browser refuse any other origin. The page does not depend on the
/// database, so this runs on SQLite only.
/// </summary>
public sealed partial class ApiReferenceTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [GeneratedRegex("""<(script|link|img|iframe)\b[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex LoadingTag();

    [GeneratedRegex("""\b(src|href)\s*=\s*["']([^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex UrlAttribute();

    [GeneratedRegex("""\bnonce\s*=\s*["']([^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex NonceAttribute();

    [GeneratedRegex("""<script\b[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""initialize\(\s*'[^']*',\s*(true|false),\s*(\{.*\}),\s*'[^']*'\)""", RegexOptions.Singleline)]
    private static partial Regex InitializeCall();

    [GeneratedRegex("""(@import|url\()\s*["']?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalCssLoad();

    [GeneratedRegex("""\bimport\s*(\(|[^;]*?\bfrom)\s*["'](https?:)?//""")]
    private static partial Regex ExternalImport();

    [Fact]
    public async Task Docs_RedirectsToThePage()
    {
        using var client = server.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri("/docs", UriKind.Relative));
        ((int)response.StatusCode / 100).ShouldBe(3);
        response.Headers.Location!.ToString().ShouldBe("docs/");
    }

    [Fact]
    public async Task Docs_ReferencesOnlyItsOwnAssets_AndEveryOneIsServed()
    {
        using var client = server.Factory.CreateClient();
        var page = await client.GetAsync(new Uri("/docs/", UriKind.Relative));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync();

        var urls = LoadingTag().Matches(html).SelectMany(t => UrlAttribute().Matches(t.Value)).Select(m => m.Groups[2].Value).ToList();
        urls.ShouldNotBeEmpty();
        foreach (var url in urls)
        {
            IsLocal(url).ShouldBeTrue($"/docs loads {url} from elsewhere");
            var asset = await client.GetAsync(new Uri(new Uri(client.BaseAddress!, "/docs/"), url));
            asset.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            if (url.EndsWith(".js", StringComparison.Ordinal))
            {
                asset.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript", url);
            }
        }

        // The small loader script may not import from elsewhere either (the large bundle is Scalar's own code,
        // whose hosted services the configuration below switches off and the CSP blocks).
        var loader = await client.GetStringAsync(new Uri("/docs/scalar.aspnetcore.js", UriKind.Relative));
        ExternalImport().IsMatch(loader).ShouldBeFalse();
        ExternalCssLoad().IsMatch(html).ShouldBeFalse("the page loads a stylesheet or font from elsewhere");
    }

    [Fact]
    public async Task Docs_SwitchesOffScalarsHostedServicesAndCdnFonts()
    {
        var html = await server.Factory.CreateClient().GetStringAsync(new Uri("/docs/", UriKind.Relative));
        var match = InitializeCall().Match(html);
        match.Success.ShouldBeTrue(html);
        var configuration = JsonNode.Parse(match.Groups[2].Value)!;

        configuration["withDefaultFonts"]!.GetValue<bool>().ShouldBeFalse("Scalar's default fonts come from fonts.scalar.com");
        configuration["telemetry"]!.GetValue<bool>().ShouldBeFalse();
        configuration["hideClientButton"]!.GetValue<bool>().ShouldBeTrue();
        configuration["showDeveloperTools"]!.GetValue<string>().ShouldBe("never");
        configuration["agent"]!["disabled"]!.GetValue<bool>().ShouldBeTrue();
        configuration["mcp"]!["disabled"]!.GetValue<bool>().ShouldBeTrue();
        configuration["documentDownloadType"]!.GetValue<string>().ShouldBe("direct");
        configuration["proxyUrl"]!.GetValue<string>().ShouldBeEmpty("an empty proxy sends test requests straight to this server");
        configuration["customCss"]!.GetValue<string>().ShouldContain("https://scalar.com");
        foreach (var source in configuration["sources"]!.AsArray())
        {
            IsLocal(source!["url"]!.GetValue<string>()).ShouldBeTrue();
        }

        // No key may point the page at another origin (a CDN or bundle URL, plugins, a remote document).
        foreach (var key in new[] { "cdn", "cdnUrl", "bundleUrl", "pluginUrls", "baseServerURL", "servers", "externalUrls" })
        {
            configuration[key].ShouldBeNull(key);
        }
    }

    [Fact]
    public async Task Docs_ContentSecurityPolicyForbidsOtherOrigins()
    {
        using var client = server.Factory.CreateClient();
        var page = await client.GetAsync(new Uri("/docs/", UriKind.Relative));
        var policy = Directives(page);
        policy["default-src"].ShouldBe(["'none'"]);
        policy["connect-src"].ShouldBe(["'self'"]);
        policy["font-src"].ShouldBe(["'self'", "data:"]);
        policy["style-src"].ShouldBe(["'self'", "'unsafe-inline'"]);
        policy["frame-ancestors"].ShouldBe(["'none'"]);

        // Scripts: this server's files, and the page's inline loader by its per-request nonce only.
        var nonce = policy["script-src"].Single(s => s.StartsWith("'nonce-", StringComparison.Ordinal))["'nonce-".Length..^1];
        policy["script-src"].ShouldBe(["'self'", $"'nonce-{nonce}'"]);
        var html = await page.Content.ReadAsStringAsync();
        var scripts = ScriptTag().Matches(html).Select(t => NonceAttribute().Match(t.Value).Groups[1].Value).ToList();
        scripts.ShouldNotBeEmpty();
        scripts.ShouldAllBe(n => n == nonce);

        var next = Directives(await client.GetAsync(new Uri("/docs/", UriKind.Relative)))["script-src"];
        next.ShouldNotContain($"'nonce-{nonce}'", "a nonce is fresh for every page");

        // Every source of every directive is this server, data:/blob: or a keyword: no host, scheme or wildcard.
        foreach (var (directive, sources) in policy)
        {
            foreach (var source in sources)
            {
                (source.StartsWith('\'') || source is "data:" or "blob:").ShouldBeTrue($"{directive} admits {source}");
            }
        }

        // The assets carry the policy too.
        Directives(await client.GetAsync(new Uri("/docs/scalar.js", UriKind.Relative)))["default-src"].ShouldBe(["'none'"]);
    }

    private static Dictionary<string, string[]> Directives(HttpResponseMessage response)
    {
        response.Headers.TryGetValues("Content-Security-Policy", out var values).ShouldBeTrue("no Content-Security-Policy header");
        return values!.Single().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..], StringComparer.Ordinal);
    }

    /// <summary>A URL relative to this server: no scheme, no protocol-relative host.</summary>
    private static bool IsLocal(string url) =>
        !url.StartsWith("//", StringComparison.Ordinal) && !Regex.IsMatch(url, "^[a-zA-Z][a-zA-Z0-9+.-]*:");
}
