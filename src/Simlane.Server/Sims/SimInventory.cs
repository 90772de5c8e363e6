using Microsoft.EntityFrameworkCore;
using Simlane.Core.Errors;
using Simlane.Core.Security;
using Simlane.Core.Sims;
using Simlane.Storage;

namespace Simlane.Server.Sims;

/// <summary>What a new physical SIM is made of (sandbox creation, CSV import).</summary>
public sealed record NewPhysicalSim(
    string Iccid,
    string Imsi,
    string? Msisdn,
    string? SerialNumber,
    string RegistrationSecret,
    string Subscription,
    IReadOnlyList<string> Bundles,
    string ModuleType = "trio");

/// <summary>
/// Creates SIMs: physical ones into inventory (unowned until registered with their secret) and
/// virtual ones straight into an operator's account. Registration secrets are kept only hashed.
/// </summary>
public sealed class SimInventory(SimlaneDb db)
{
    /// <summary>Registration secrets are PUK-like; a lighter PBKDF2 keeps bulk imports fast while still salted and slow.</summary>
    public const int RegistrationSecretIterations = 10_000;

    public static Sim NewPhysical(NewPhysicalSim spec, long now)
    {
        var plan = Plans.Get(spec.Subscription);
        if (plan.IsVirtual)
        {
            throw new SimlaneException(ErrorCodes.UnknownSubscription, $"{plan.Name} is for virtual SIMs only");
        }

        foreach (var bundle in spec.Bundles.Where(b => !plan.Bundles.Contains(b)))
        {
            throw new SimlaneException(ErrorCodes.InvalidField, $"bundles: '{bundle}' is not a bundle of {plan.Name}");
        }

        return new Sim
        {
            SimId = spec.Iccid,
            Status = SimStatus.Ready,
            SpeedClass = plan.DefaultSpeedClass,
            Type = "uicc",
            ModuleType = spec.ModuleType,
            SerialNumber = spec.SerialNumber,
            RegistrationSecretHash = Secrets.HashSecret(spec.RegistrationSecret, RegistrationSecretIterations),
            CreatedTime = now,
            LastModifiedTime = now,
            RenewalFeeStatusSetTime = now,
            Subscriptions =
            [
                new Subscription
                {
                    Imsi = spec.Imsi, SimId = spec.Iccid, Iccid = spec.Iccid, Msisdn = spec.Msisdn, Plan = plan.Name,
                    Bundles = [.. spec.Bundles], IsPrimary = true, CreatedTime = now,
                },
            ],
        };
    }

    /// <summary>A new unique ICCID-shaped SIM ID (19 digits), IMSI (test network 001-01) and MSISDN.</summary>
    public async Task<(string SimId, string Imsi, string Msisdn)> NewIdentifiersAsync()
    {
        while (true)
        {
            var simId = "8942310" + Secrets.RandomDigits(12);
            var imsi = "00101" + Secrets.RandomDigits(10);
            var msisdn = "999" + Secrets.RandomDigits(9);
            if (!await db.Sims.AnyAsync(s => s.SimId == simId) && !await db.Subscriptions.AnyAsync(s => s.Imsi == imsi || s.Iccid == simId))
            {
                return (simId, imsi, msisdn);
            }
        }
    }

    /// <summary>A virtual SIM (planArc01), owned and active at once.</summary>
    public async Task<Sim> CreateVirtualAsync(string operatorId, long now)
    {
        var (simId, imsi, msisdn) = await NewIdentifiersAsync();
        var plan = Plans.Get(Plans.PlanArc01);
        var sim = new Sim
        {
            SimId = simId,
            OperatorId = operatorId,
            Status = SimStatus.Active,
            SpeedClass = plan.DefaultSpeedClass,
            Type = "virtual",
            ModuleType = "virtual",
            CreatedTime = now,
            LastModifiedTime = now,
            RegisteredTime = now,
            Subscriptions =
            [
                new Subscription
                {
                    Imsi = imsi, SimId = simId, Iccid = simId, Msisdn = msisdn, Plan = plan.Name, IsPrimary = true, CreatedTime = now,
                },
            ],
        };
        db.Sims.Add(sim);
        await db.SaveChangesAsync();
        return sim;
    }
}
