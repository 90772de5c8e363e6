using Microsoft.AspNetCore.DataProtection;

namespace Simlane.Server.Actions;

/// <summary>
/// Encrypts secrets that the server must be able to read back (AWS credentials, webhook signing secrets) with
/// ASP.NET Core Data Protection. Keys live in <see cref="Infrastructure.SimlaneOptions.KeysDirectory"/> (default
/// <c>{data}/keys</c>), not in the database, so a copy of the database alone does not reveal them. Every
/// server sharing one database must share that directory.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>Encrypts <paramref name="secret"/> for <paramref name="purpose"/> (e.g. <c>credentials</c>); the result is safe to store.</summary>
    public string Protect(string purpose, string secret) => provider.CreateProtector("Simlane", purpose).Protect(secret);

    /// <summary>Decrypts what <see cref="Protect"/> returned for the same purpose.</summary>
    public string Unprotect(string purpose, string protectedSecret) => provider.CreateProtector("Simlane", purpose).Unprotect(protectedSecret);
}
