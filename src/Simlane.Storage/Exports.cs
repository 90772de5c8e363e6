namespace Simlane.Storage;

/// <summary>
/// A CSV file produced by one of the export operations (docs/exports.md), kept in the database so that
/// every node on it can serve the download link. Scoped to its operator; gone once <see cref="ExpiresTime"/> passes.
/// </summary>
public sealed class ExportedFile
{
    /// <summary><c>fe_</c> followed by a random UUID.</summary>
    public required string FileId { get; set; }

    public required string OperatorId { get; set; }

    /// <summary><c>subscribers</c>, <c>air_stats</c> or <c>billing</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The file name offered to the downloader (Content-Disposition).</summary>
    public required string FileName { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>Epoch milliseconds.</summary>
    public long CreatedTime { get; set; }

    /// <summary>Epoch milliseconds; from then on the file and every link to it answer 404, and it is pruned.</summary>
    public long ExpiresTime { get; set; }
}
