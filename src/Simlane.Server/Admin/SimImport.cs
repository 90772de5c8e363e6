using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Simlane.Core.Sims;
using Simlane.Server.Infrastructure;
using Simlane.Server.Sims;
using Simlane.Storage;

namespace Simlane.Server.Admin;

/// <summary>The outcome of one import: counts and, per rejected row, its line and the reason.</summary>
public sealed record SimImportResult(int Imported, int Skipped, IReadOnlyList<(int Line, string Reason)> Rejected);

/// <summary>
/// <c>admin import-sims</c>: loads physical SIMs into inventory (unowned, <c>ready</c>) from CSV so that
/// their buyers can register them with the registration secret. A re-import never duplicates: rows whose
/// ICCID and IMSI are already present are skipped, not rejected.
/// </summary>
public static partial class SimImport
{
    public const int DefaultBatchSize = 500;

    private static readonly string[] RequiredColumns = ["iccid", "imsi", "registrationSecret", "subscription"];
    private static readonly string[] OptionalColumns = ["msisdn", "serial", "bundles", "moduleType"];
    private static readonly string[] ModuleTypes = ["trio", "mini", "micro", "nano", "embedded", "integrated"];

    [GeneratedRegex("^[0-9]{18,22}$")]
    private static partial Regex IccidPattern();

    [GeneratedRegex("^[0-9]{14,15}$")]
    private static partial Regex ImsiPattern();

    [GeneratedRegex("^[0-9]{1,15}$")]
    private static partial Regex MsisdnPattern();

    /// <summary>Thrown when the file as a whole cannot be imported (no header, unknown column); nothing is written.</summary>
    public sealed class FileFormatException(string message) : Exception(message);

    public static async Task<SimImportResult> RunAsync(DatabaseOptions database, TextReader csv, TimeProvider clock, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        var rejected = new List<(int Line, string Reason)>();
        var rows = Parse(csv, rejected);
        var imported = 0;
        var skipped = 0;
        foreach (var batch in rows.Chunk(batchSize))
        {
            var (added, alreadyPresent) = await ImportBatchAsync(database, batch, clock, rejected, cancellationToken);
            imported += added;
            skipped += alreadyPresent;
        }

        return new SimImportResult(imported, skipped, [.. rejected.OrderBy(r => r.Line)]);
    }

    /// <summary>Reads and validates every row; rows that fail go to <paramref name="rejected"/>, the rest are returned in file order.</summary>
    private static List<Row> Parse(TextReader csv, List<(int Line, string Reason)> rejected)
    {
        var records = CsvReader.Read(csv).Where(r => r.Error is not null || r.Fields.Any(f => !string.IsNullOrWhiteSpace(f)));
        using var enumerator = records.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            throw new FileFormatException("the file is empty; the first line must be a header (iccid,imsi,msisdn,serial,registrationSecret,subscription)");
        }

        var header = enumerator.Current;
        if (header.Error is not null)
        {
            throw new FileFormatException($"line {header.Line}: {header.Error}");
        }

        var columns = MapHeader(header);
        var rows = new List<Row>();
        var iccids = new Dictionary<string, int>(StringComparer.Ordinal);
        var imsis = new Dictionary<string, int>(StringComparer.Ordinal);
        while (enumerator.MoveNext())
        {
            var record = enumerator.Current;
            var row = Validate(record, columns, out var reason);
            if (row is null)
            {
                rejected.Add((record.Line, reason!));
                continue;
            }

            if (iccids.TryGetValue(row.Spec.Iccid, out var firstIccid))
            {
                rejected.Add((record.Line, $"duplicate iccid {row.Spec.Iccid} (first on line {firstIccid})"));
                continue;
            }

            if (imsis.TryGetValue(row.Spec.Imsi, out var firstImsi))
            {
                rejected.Add((record.Line, $"duplicate imsi {row.Spec.Imsi} (first on line {firstImsi})"));
                continue;
            }

            iccids[row.Spec.Iccid] = record.Line;
            imsis[row.Spec.Imsi] = record.Line;
            rows.Add(row);
        }

        return rows;
    }

    private static Dictionary<string, int> MapHeader(CsvRecord header)
    {
        var known = RequiredColumns.Concat(OptionalColumns).ToList();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            var canonical = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new FileFormatException($"unknown column '{name}' in the header; columns are {string.Join(", ", known)}");
            if (!columns.TryAdd(canonical, i))
            {
                throw new FileFormatException($"column '{canonical}' appears twice in the header");
            }
        }

        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new FileFormatException($"the header lacks the column(s) {string.Join(", ", missing)}");
        }

        return columns;
    }

    private static Row? Validate(CsvRecord record, Dictionary<string, int> columns, out string? reason)
    {
        reason = null;
        if (record.Error is not null)
        {
            reason = record.Error;
            return null;
        }

        var expected = columns.Values.Max() + 1;
        if (record.Fields.Count != expected)
        {
            reason = $"expected {expected} fields, found {record.Fields.Count}";
            return null;
        }

        string? Get(string column) =>
            columns.TryGetValue(column, out var index) && !string.IsNullOrWhiteSpace(record.Fields[index]) ? record.Fields[index].Trim() : null;

        var iccid = Get("iccid");
        var imsi = Get("imsi");
        var msisdn = Get("msisdn");
        var secret = Get("registrationSecret");
        var subscription = Get("subscription");
        var moduleType = Get("moduleType") ?? "trio";
        var bundles = (Get("bundles") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var plan = Plans.Find(subscription);
        reason = iccid switch
        {
            null => "iccid is required",
            _ when !IccidPattern().IsMatch(iccid) => $"iccid '{iccid}' must be 18 to 22 digits",
            _ when imsi is null => "imsi is required",
            _ when !ImsiPattern().IsMatch(imsi) => $"imsi '{imsi}' must be 14 or 15 digits",
            _ when msisdn is not null && !MsisdnPattern().IsMatch(msisdn) => $"msisdn '{msisdn}' must be 1 to 15 digits",
            _ when secret is null => "registrationSecret is required",
            _ when subscription is null => "subscription is required",
            _ when plan is null => $"unknown subscription '{subscription}'",
            _ when plan.IsVirtual => $"subscription {plan.Name} is for virtual SIMs only",
            _ when bundles.FirstOrDefault(b => !plan.Bundles.Contains(b)) is { } bad =>
                plan.Bundles.Count == 0 ? $"bundles: {plan.Name} has no bundles ('{bad}')" : $"bundles: '{bad}' is not one of {string.Join(", ", plan.Bundles)}",
            _ when !ModuleTypes.Contains(moduleType) => $"moduleType '{moduleType}' is not one of {string.Join(", ", ModuleTypes)}",
            _ => null,
        };
        return reason is null
            ? new Row(record.Line, new NewPhysicalSim(iccid!, imsi!, msisdn, Get("serial"), secret!, plan!.Name, bundles, moduleType))
            : null;
    }

    private static async Task<(int Imported, int Skipped)> ImportBatchAsync(
        DatabaseOptions database, Row[] batch, TimeProvider clock, List<(int Line, string Reason)> rejected, CancellationToken cancellationToken)
    {
        // One retry: a concurrent writer (another import, sandbox creation) may insert an identifier between our check and our insert.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = database.CreateContext();
            var iccids = batch.Select(r => r.Spec.Iccid).ToList();
            var imsis = batch.Select(r => r.Spec.Imsi).ToList();
            var existingSims = await db.Sims.Where(s => iccids.Contains(s.SimId)).Select(s => s.SimId).ToListAsync(cancellationToken);
            var existingSubscriptions = await db.Subscriptions
                .Where(s => imsis.Contains(s.Imsi) || (s.Iccid != null && iccids.Contains(s.Iccid)))
                .Select(s => new { s.Imsi, s.Iccid, s.SimId })
                .ToListAsync(cancellationToken);
            var simIds = existingSims.ToHashSet(StringComparer.Ordinal);
            var byImsi = existingSubscriptions.ToDictionary(s => s.Imsi, StringComparer.Ordinal);
            var byIccid = existingSubscriptions.Where(s => s.Iccid is not null).GroupBy(s => s.Iccid!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            var fresh = new List<Row>();
            var skipped = 0;
            var conflicts = new List<(int Line, string Reason)>();
            foreach (var row in batch)
            {
                var (iccid, imsi) = (row.Spec.Iccid, row.Spec.Imsi);
                var iccidPresent = simIds.Contains(iccid) || byIccid.ContainsKey(iccid);
                byImsi.TryGetValue(imsi, out var imsiOwner);
                if (!iccidPresent && imsiOwner is null)
                {
                    fresh.Add(row);
                }
                else if (imsiOwner is not null && imsiOwner.SimId == iccid)
                {
                    skipped++; // the same SIM, imported before
                }
                else if (imsiOwner is not null)
                {
                    conflicts.Add((row.Line, $"imsi {imsi} already belongs to SIM {imsiOwner.SimId}"));
                }
                else
                {
                    conflicts.Add((row.Line, $"iccid {iccid} already exists with another imsi"));
                }
            }

            var now = clock.NowMs();
            var sims = new Core.Sims.Sim[fresh.Count];
            Parallel.For(0, fresh.Count, i => sims[i] = SimInventory.NewPhysical(fresh[i].Spec, now)); // PBKDF2 per row dominates
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Sims.AddRange(sims);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                continue;
            }

            rejected.AddRange(conflicts);
            return (fresh.Count, skipped);
        }
    }

    private sealed record Row(int Line, NewPhysicalSim Spec);

    public static string Format(SimImportResult result) =>
        string.Create(CultureInfo.InvariantCulture, $"imported {result.Imported}, skipped {result.Skipped}, rejected {result.Rejected.Count}")
        + string.Concat(result.Rejected.Select(r => string.Create(CultureInfo.InvariantCulture, $"\nline {r.Line}: {r.Reason}")));
}
