using System.Collections.Frozen;

namespace Simlane.Diameter.Codec;

/// <summary>
/// The AVP table, keyed by (code, vendor): every RFC 6733 base AVP, RFC 4006 and RFC 8506 credit-control AVP, the RFC
/// 7155 NASREQ (RADIUS-derived) AVPs, DOIC, and the 3GPP (vendor 10415) AVPs of TS 29.061, 29.212, 29.214, 29.272 and
/// 32.299 — every AVP a PGW/SMF puts into a Gy CCR (Open5GS's SMF among them). Codes and types are from the RFCs and
/// 3GPP specifications. An AVP missing here still decodes (with a null definition); if it carries the M flag, the node
/// answers its request with 5001 DIAMETER_AVP_UNSUPPORTED.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Diameter's own word for its AVP table.")]
public static partial class AvpDictionary
{
    private static readonly FrozenDictionary<ulong, AvpDefinition> ByKey =
        Definitions().ToFrozenDictionary(d => Key(d.Code, d.VendorId));

    /// <summary>The definition of (code, vendor), or null when the table lacks it.</summary>
    public static AvpDefinition? Find(uint code, uint vendorId) => ByKey.GetValueOrDefault(Key(code, vendorId));

    /// <summary>Every definition in the table.</summary>
    public static IReadOnlyCollection<AvpDefinition> All => ByKey.Values;

    /// <summary>
    /// The M-bit AVPs of the message that the table does not know, at top level and inside grouped AVPs of known
    /// definition, in message order: what a 5001 DIAMETER_AVP_UNSUPPORTED answer puts into Failed-AVP. (The children of
    /// an unknown grouped AVP are not decoded; the unknown AVP itself is reported if it is mandatory.)
    /// </summary>
    public static IEnumerable<Avp> UnsupportedMandatory(DiameterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Walk(message.Avps);

        static IEnumerable<Avp> Walk(IReadOnlyList<Avp> avps)
        {
            foreach (var avp in avps)
            {
                if (avp.Definition is null)
                {
                    if (avp.Mandatory)
                    {
                        yield return avp;
                    }
                }
                else if (avp.Children.Count > 0)
                {
                    foreach (var inner in Walk(avp.Children))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static ulong Key(uint code, uint vendorId) => ((ulong)vendorId << 32) | code;

    private static AvpDefinition Ietf(uint code, string name, AvpType type) => new(code, 0, name, type);

    private static AvpDefinition Tgpp(uint code, string name, AvpType type) => new(code, AvpCodes.Vendor3gpp, name, type);
}
