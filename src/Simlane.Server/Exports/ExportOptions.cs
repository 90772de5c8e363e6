namespace Simlane.Server.Exports;

/// <summary>Section <c>Simlane:Exports</c> (docs/exports.md).</summary>
public sealed class ExportOptions
{
    public const string Section = "Simlane:Exports";

    /// <summary>The largest CSV an export builds and stores; beyond it the export is 400 FIL0002. Default 64 MiB.</summary>
    public int MaxBytes { get; set; } = CsvFile.MaxBytes;

    public void Validate()
    {
        if (MaxBytes is < 1024 or > 512 * 1024 * 1024)
        {
            throw new InvalidOperationException($"Simlane:Exports:MaxBytes must be between 1024 and 536870912 (512 MiB), not {MaxBytes}");
        }
    }
}
