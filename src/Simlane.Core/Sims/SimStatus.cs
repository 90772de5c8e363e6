using Simlane.Core.Errors;

namespace Simlane.Core.Sims;

/// <summary>
/// The status of a SIM (the status of its primary subscription). <c>Terminated</c> is final: no
/// transition leaves it. The wire names are SORACOM's lower-case words.
/// </summary>
public enum SimStatus
{
    Ready,
    Active,
    Inactive,
    Standby,
    Suspended,
    Terminated,
}

/// <summary>Conversions between <see cref="SimStatus"/> and its wire name.</summary>
public static class SimStatusNames
{
    public static readonly IReadOnlyList<SimStatus> All = Enum.GetValues<SimStatus>();

    public static string ToWire(this SimStatus status) => status switch
    {
        SimStatus.Ready => "ready",
        SimStatus.Active => "active",
        SimStatus.Inactive => "inactive",
        SimStatus.Standby => "standby",
        SimStatus.Suspended => "suspended",
        SimStatus.Terminated => "terminated",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? wire, out SimStatus status)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToWire(), wire, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static SimStatus Parse(string wire, string field) =>
        TryParse(wire, out var status)
            ? status
            : throw new SimlaneException(ErrorCodes.InvalidField, $"{field}: unknown status '{wire}'");
}
