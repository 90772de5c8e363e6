namespace Simlane.Core.Usage;

/// <summary>
/// The windows traffic is counted in, all UTC: five-minute buckets (Air stats "minutes"), calendar days,
/// calendar months, and <see cref="AllTime"/> (since start of use, one bucket starting at 0).
/// </summary>
public enum UsagePeriod
{
    FiveMinutes,
    Day,
    Month,
    AllTime,
}

/// <summary>Who a counter belongs to.</summary>
public enum UsageScope
{
    Subscriber,
    Sim,
    Group,
    Operator,
}

/// <summary>Bucket arithmetic on epoch seconds. Windows never depend on the server's time zone.</summary>
public static class UsageWindows
{
    public const long FiveMinutesSeconds = 300;
    public const long DaySeconds = 86_400;

    /// <summary>The start (epoch seconds, UTC) of the <paramref name="period"/> bucket that contains <paramref name="unixtime"/>.</summary>
    public static long BucketStart(UsagePeriod period, long unixtime) => period switch
    {
        UsagePeriod.FiveMinutes => FloorTo(unixtime, FiveMinutesSeconds),
        UsagePeriod.Day => FloorTo(unixtime, DaySeconds),
        UsagePeriod.Month => MonthStart(unixtime),
        UsagePeriod.AllTime => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(period)),
    };

    /// <summary>The start of the bucket after the one that contains <paramref name="unixtime"/>.</summary>
    public static long NextBucketStart(UsagePeriod period, long unixtime) => period switch
    {
        UsagePeriod.FiveMinutes => FloorTo(unixtime, FiveMinutesSeconds) + FiveMinutesSeconds,
        UsagePeriod.Day => FloorTo(unixtime, DaySeconds) + DaySeconds,
        UsagePeriod.Month => DateTimeOffset.FromUnixTimeSeconds(MonthStart(unixtime)).AddMonths(1).ToUnixTimeSeconds(),
        UsagePeriod.AllTime => long.MaxValue,
        _ => throw new ArgumentOutOfRangeException(nameof(period)),
    };

    public static long MonthStart(long unixtime)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(unixtime);
        return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    }

    private static long FloorTo(long value, long size) => value - (((value % size) + size) % size);
}

/// <summary>Byte and packet totals; exact 64-bit, overflow-checked (Core is compiled with overflow checks).</summary>
public readonly record struct TrafficTotals(long UploadBytes, long DownloadBytes, long UploadPackets, long DownloadPackets)
{
    /// <summary>What threshold rules compare: upload plus download bytes.</summary>
    public long TotalBytes => UploadBytes + DownloadBytes;

    public static TrafficTotals operator +(TrafficTotals a, TrafficTotals b) =>
        new(a.UploadBytes + b.UploadBytes, a.DownloadBytes + b.DownloadBytes, a.UploadPackets + b.UploadPackets, a.DownloadPackets + b.DownloadPackets);

    public static TrafficTotals Add(TrafficTotals a, TrafficTotals b) => a + b;
}
