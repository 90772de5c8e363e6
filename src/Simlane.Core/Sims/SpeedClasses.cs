namespace Simlane.Core.Sims;

/// <summary>
/// Speed class names. The first eight are the ones a client may request (update_speed_class,
/// ChangeSpeedClassAction); <c>t1.standard</c> and <c>arc.standard</c> are fixed classes of plan-KM1 and
/// virtual SIMs that appear only in views, filters and stats.
/// </summary>
public static class SpeedClasses
{
    public const string S1Minimum = "s1.minimum";
    public const string S1Slow = "s1.slow";
    public const string S1Standard = "s1.standard";
    public const string S1Fast = "s1.fast";
    public const string S1FourXFast = "s1.4xfast";
    public const string S1EightXFast = "s1.8xfast";
    public const string U1Standard = "u1.standard";
    public const string U1Slow = "u1.slow";
    public const string T1Standard = "t1.standard";
    public const string ArcStandard = "arc.standard";

    /// <summary>The classes a client may request in update_speed_class.</summary>
    public static readonly IReadOnlyList<string> Requestable =
        [S1Minimum, S1Slow, S1Standard, S1Fast, S1FourXFast, S1EightXFast, U1Standard, U1Slow];

    /// <summary>Every class that can appear on a SIM, in filters or in stats.</summary>
    public static readonly IReadOnlyList<string> All = [.. Requestable, T1Standard, ArcStandard];

    /// <summary>
    /// The one shared instance of a known class name equal to <paramref name="speedClass"/> (else <paramref name="speedClass"/> itself): what
    /// decodes a class per record keeps one string per class instead of one per record, without the runtime's intern table and its lock.
    /// </summary>
    public static string Canonical(string speedClass) => speedClass switch
    {
        S1Minimum => S1Minimum,
        S1Slow => S1Slow,
        S1Standard => S1Standard,
        S1Fast => S1Fast,
        S1FourXFast => S1FourXFast,
        S1EightXFast => S1EightXFast,
        U1Standard => U1Standard,
        U1Slow => U1Slow,
        T1Standard => T1Standard,
        ArcStandard => ArcStandard,
        _ => speedClass,
    };
}
