using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Server.Infrastructure;
using Simlane.Storage;

namespace Simlane.Server.Exports;

/// <summary>
/// Stores exported CSV files in the database and hands out their download links (docs/exports.md). A link
/// is <c>/v1/files/exported/{id}/download?token=…</c>: the token is the file ID and operator ID protected
/// with Data Protection (the keys every node on the database shares), so it cannot be guessed or moved to
/// another file, works without the API headers like SORACOM's presigned URLs, and dies with the file,
/// <see cref="Lifetime"/> after the export. Expired files are pruned by the next export.
/// </summary>
public sealed class ExportFiles(IDataProtectionProvider protection, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ExportOptions> options)
{
    /// <summary>How long an exported file and its links live.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static readonly string[] Modes = ["async", "sync"];

    /// <summary>The configured bound of one file (<see cref="ExportOptions.MaxBytes"/>).</summary>
    public int MaxBytes => options.Value.MaxBytes;

    private readonly IDataProtector protector = protection.CreateProtector("Simlane.Exports.DownloadLink.v1");

    public sealed record FileExportResponse(string? Url, string? ExportedFileId, string? ExportedFilePath);

    public sealed record GetExportedFileResponse(string Status, string Url);

    /// <summary>The <c>export_mode</c> query parameter: <c>sync</c> (default) or <c>async</c>; anything else is 400 COM0007.</summary>
    public static string Mode(HttpRequest request) => QueryParams.Enum(request.Query, "export_mode", Modes) ?? "sync";

    /// <summary>Stores the file and answers SORACOM's FileExportResponse for <paramref name="mode"/>.</summary>
    public async Task<IResult> SaveAsync(SimlaneDb db, HttpRequest request, string operatorId, string kind, string fileName, byte[] content, string mode)
    {
        var now = clock.NowMs();
        await db.ExportedFiles.Where(f => f.ExpiresTime <= now).ExecuteDeleteAsync();
        var file = new ExportedFile
        {
            FileId = "fe_" + Guid.NewGuid().ToString("D"),
            OperatorId = operatorId,
            Kind = kind,
            FileName = fileName,
            Content = content,
            CreatedTime = now,
            ExpiresTime = now + (long)Lifetime.TotalMilliseconds,
        };
        db.ExportedFiles.Add(file);
        await db.SaveChangesAsync();
        var response = mode == "async"
            ? new FileExportResponse(null, file.FileId, $"/v1/files/exported/{file.FileId}")
            : new FileExportResponse(Url(request, file), null, null);
        return Results.Json(response, Json.Options);
    }

    /// <summary>The caller's unexpired file; another operator's, an unknown and an expired one are the same 404 FIL0001.</summary>
    public async Task<ExportedFile> FindAsync(SimlaneDb db, string fileId, string operatorId)
    {
        var now = clock.NowMs();
        return await db.ExportedFiles.AsNoTracking()
            .Where(f => f.FileId == fileId && f.OperatorId == operatorId && f.ExpiresTime > now)
            .SingleOrDefaultAsync() ?? throw NotFound(fileId);
    }

    /// <summary>The file a download link names, when its token was issued for it and it has not expired.</summary>
    public async Task<ExportedFile> OpenAsync(SimlaneDb db, string fileId, string? token)
    {
        var payload = Unprotect(token);
        var separator = payload?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        if (payload is null || separator < 0 || !string.Equals(payload[..separator], fileId, StringComparison.Ordinal))
        {
            throw NotFound(fileId);
        }

        return await FindAsync(db, fileId, payload[(separator + 1)..]);
    }

    public string Url(HttpRequest request, ExportedFile file)
    {
        var token = protector.Protect($"{file.FileId}\n{file.OperatorId}");
        return UriHelper.BuildAbsolute(
            request.Scheme, request.Host, request.PathBase, $"/v1/files/exported/{file.FileId}/download", QueryString.Create("token", token));
    }

    private string? Unprotect(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static SimlaneException NotFound(string fileId) =>
        new(ErrorCodes.ExportedFileNotFound, $"No exported file '{fileId}', or the download link is invalid or expired");
}
