using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Simlane.Cli.Auth;

/// <summary>A named profile: where the server is and how to sign in (an auth key, or email and password).</summary>
public sealed class Profile
{
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("authKeyId")]
    public string? AuthKeyId { get; set; }

    [JsonPropertyName("authKey")]
    public string? AuthKey { get; set; }

    [JsonPropertyName("email")]
    public string? Email { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("tokenTimeoutSeconds")]
    public int? TokenTimeoutSeconds { get; set; }
}

/// <summary>An API key and token from <c>POST /v1/auth</c>, cached per profile until shortly before it expires.</summary>
public sealed class CachedToken
{
    [JsonPropertyName("endpoint")]
    public string Endpoint { get; set; } = "";

    /// <summary>The auth key ID or email the token was obtained with: a re-configured profile never reuses it.</summary>
    [JsonPropertyName("identity")]
    public string Identity { get; set; } = "";

    [JsonPropertyName("apiKey")]
    public string ApiKey { get; set; } = "";

    [JsonPropertyName("token")]
    public string Token { get; set; } = "";

    [JsonPropertyName("operatorId")]
    public string? OperatorId { get; set; }

    /// <summary>UNIX time in milliseconds.</summary>
    [JsonPropertyName("expiresAt")]
    public long ExpiresAt { get; set; }
}

/// <summary>
/// Profiles live in <c>~/.simlane/&lt;name&gt;.json</c> (or <c>$SIMLANE_PROFILE_DIR</c>), tokens in
/// <c>cache/&lt;name&gt;.json</c> under it; directories are 0700 and files 0600, and a profile readable by
/// others is refused, as soracom-cli does.
/// </summary>
public sealed partial class ProfileStore(CliConsole console)
{
    public const string DirectoryVariable = "SIMLANE_PROFILE_DIR";
    public const string DefaultProfile = "default";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Directory => console.Variable(DirectoryVariable) ?? Path.Combine(console.HomeDirectory, ".simlane");

    public string PathOf(string profile) => Path.Combine(Directory, ValidName(profile) + ".json");

    public string CachePathOf(string profile) => Path.Combine(Directory, "cache", ValidName(profile) + ".json");

    public static string ValidName(string profile) => ProfileName().IsMatch(profile)
        ? profile
        : throw new UsageException($"invalid profile name '{profile}': use letters, digits, '.', '_' and '-'");

    /// <summary>The profile, or null when its file does not exist.</summary>
    public Profile? Load(string profile)
    {
        var path = PathOf(profile);
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new CommandFailedException($"the permissions of the profile {path} are too open; run `chmod 600 {path}`");
        }

        try
        {
            return JsonSerializer.Deserialize<Profile>(File.ReadAllText(path), Options) ?? new Profile();
        }
        catch (JsonException e)
        {
            throw new CommandFailedException($"cannot read the profile {path}: {e.Message}");
        }
    }

    public void Save(string profile, Profile value)
    {
        Write(PathOf(profile), JsonSerializer.Serialize(value, Options));
        DeleteToken(profile);
    }

    public CachedToken? LoadToken(string profile)
    {
        var path = CachePathOf(profile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CachedToken>(File.ReadAllText(path), Options);
        }
        catch (JsonException)
        {
            return null; // a damaged cache is only a cache: sign in again
        }
    }

    public void SaveToken(string profile, CachedToken token) => Write(CachePathOf(profile), JsonSerializer.Serialize(token, Options));

    public void DeleteToken(string profile)
    {
        var path = CachePathOf(profile);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static void Write(string path, string text)
    {
        var directory = Path.GetDirectoryName(path)!;
        CreatePrivateDirectory(directory);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Write('\n');
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(directory);
        if (!string.IsNullOrEmpty(parent))
        {
            CreatePrivateDirectory(parent);
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ProfileName();
}
