using System.Reflection;

namespace Simlane.Diameter.Tests;

/// <summary>The AVP table: what a real PGW/SMF sends in Gy is in it, and AvpCodes agrees with it.</summary>
public sealed class DictionaryTests
{
    private const uint V = AvpCodes.Vendor3gpp;

    /// <summary>
    /// Every AVP Open5GS's SMF puts into a Gy CCR (src/smf/gy-path.c and fd-path.c of open5gs/open5gs, at 8f25f3b),
    /// with the vendor and type of its freeDiameter dictionary. All carry the M flag there; one missing here would make
    /// the node answer a real core's CCR with 5001.
    /// </summary>
    public static TheoryData<uint, uint, string, AvpType> Open5gsCcrAvps => new()
    {
        // the CCR itself
        { 263, 0, "Session-Id", AvpType.UTF8String },
        { 264, 0, "Origin-Host", AvpType.DiameterIdentity },
        { 296, 0, "Origin-Realm", AvpType.DiameterIdentity },
        { 283, 0, "Destination-Realm", AvpType.DiameterIdentity },
        { 293, 0, "Destination-Host", AvpType.DiameterIdentity },
        { 258, 0, "Auth-Application-Id", AvpType.Unsigned32 },
        { 461, 0, "Service-Context-Id", AvpType.UTF8String },
        { 416, 0, "CC-Request-Type", AvpType.Enumerated },
        { 415, 0, "CC-Request-Number", AvpType.Unsigned32 },
        { 1, 0, "User-Name", AvpType.UTF8String },
        { 278, 0, "Origin-State-Id", AvpType.Unsigned32 },
        { 55, 0, "Event-Timestamp", AvpType.Time },
        { 443, 0, "Subscription-Id", AvpType.Grouped },
        { 450, 0, "Subscription-Id-Type", AvpType.Enumerated },
        { 444, 0, "Subscription-Id-Data", AvpType.UTF8String },
        { 295, 0, "Termination-Cause", AvpType.Enumerated },
        { 436, 0, "Requested-Action", AvpType.Enumerated },
        { 2055, V, "AoC-Request-Type", AvpType.Enumerated },
        { 455, 0, "Multiple-Services-Indicator", AvpType.Enumerated },
        // Multiple-Services-Credit-Control
        { 456, 0, "Multiple-Services-Credit-Control", AvpType.Grouped },
        { 437, 0, "Requested-Service-Unit", AvpType.Grouped },
        { 446, 0, "Used-Service-Unit", AvpType.Grouped },
        { 421, 0, "CC-Total-Octets", AvpType.Unsigned64 },
        { 412, 0, "CC-Input-Octets", AvpType.Unsigned64 },
        { 414, 0, "CC-Output-Octets", AvpType.Unsigned64 },
        { 420, 0, "CC-Time", AvpType.Unsigned32 },
        { 417, 0, "CC-Service-Specific-Units", AvpType.Unsigned64 },
        { 872, V, "Reporting-Reason", AvpType.Enumerated },
        { 439, 0, "Service-Identifier", AvpType.Unsigned32 },
        { 432, 0, "Rating-Group", AvpType.Unsigned32 },
        { 1016, V, "QoS-Information", AvpType.Grouped },
        { 1028, V, "QoS-Class-Identifier", AvpType.Enumerated },
        { 1034, V, "Allocation-Retention-Priority", AvpType.Grouped },
        { 1046, V, "Priority-Level", AvpType.Unsigned32 },
        { 1047, V, "Pre-emption-Capability", AvpType.Enumerated },
        { 1048, V, "Pre-emption-Vulnerability", AvpType.Enumerated },
        { 1041, V, "APN-Aggregate-Max-Bitrate-UL", AvpType.Unsigned32 },
        { 1040, V, "APN-Aggregate-Max-Bitrate-DL", AvpType.Unsigned32 },
        { 516, V, "Max-Requested-Bandwidth-UL", AvpType.Unsigned32 },
        { 515, V, "Max-Requested-Bandwidth-DL", AvpType.Unsigned32 },
        { 1026, V, "Guaranteed-Bitrate-UL", AvpType.Unsigned32 },
        { 1025, V, "Guaranteed-Bitrate-DL", AvpType.Unsigned32 },
        // Service-Information > PS-Information
        { 873, V, "Service-Information", AvpType.Grouped },
        { 874, V, "PS-Information", AvpType.Grouped },
        { 2, V, "3GPP-Charging-Id", AvpType.Unsigned32 },
        { 3, V, "3GPP-PDP-Type", AvpType.Enumerated },
        { 1227, V, "PDP-Address", AvpType.Address },
        { 1228, V, "SGSN-Address", AvpType.Address },
        { 847, V, "GGSN-Address", AvpType.Address },
        { 30, 0, "Called-Station-Id", AvpType.UTF8String },
        { 12, V, "3GPP-Selection-Mode", AvpType.UTF8String },
        { 13, V, "3GPP-Charging-Characteristics", AvpType.UTF8String },
        { 18, V, "3GPP-SGSN-MCC-MNC", AvpType.UTF8String },
        { 10, V, "3GPP-NSAPI", AvpType.OctetString },
        { 23, V, "3GPP-MS-TimeZone", AvpType.OctetString },
        { 22, V, "3GPP-User-Location-Info", AvpType.OctetString },
        { 21, V, "3GPP-RAT-Type", AvpType.OctetString },
        { 458, 0, "User-Equipment-Info", AvpType.Grouped },
        { 459, 0, "User-Equipment-Info-Type", AvpType.Enumerated },
        { 460, 0, "User-Equipment-Info-Value", AvpType.OctetString },
        // what the CCA and RAR carry back (Open5GS reads these)
        { 268, 0, "Result-Code", AvpType.Unsigned32 },
        { 297, 0, "Experimental-Result", AvpType.Grouped },
        { 298, 0, "Experimental-Result-Code", AvpType.Unsigned32 },
        { 431, 0, "Granted-Service-Unit", AvpType.Grouped },
        { 448, 0, "Validity-Time", AvpType.Unsigned32 },
        { 430, 0, "Final-Unit-Indication", AvpType.Grouped },
        { 449, 0, "Final-Unit-Action", AvpType.Enumerated },
        { 869, V, "Volume-Quota-Threshold", AvpType.Unsigned32 },
        { 868, V, "Time-Quota-Threshold", AvpType.Unsigned32 },
        { 871, V, "Quota-Holding-Time", AvpType.Unsigned32 },
        { 285, 0, "Re-Auth-Request-Type", AvpType.Enumerated },
        { 629, V, "Feature-List-ID", AvpType.Unsigned32 },
        { 630, V, "Feature-List", AvpType.Unsigned32 },
        { 1004, V, "Charging-Rule-Base-Name", AvpType.UTF8String },
    };

    [Theory]
    [MemberData(nameof(Open5gsCcrAvps))]
    public void Every_avp_of_an_open5gs_gy_ccr_is_in_the_table(uint code, uint vendor, string name, AvpType type)
    {
        var definition = AvpDictionary.Find(code, vendor).ShouldNotBeNull($"{name} ({code}/{vendor})");
        (definition.Name, definition.Type).ShouldBe((name, type));
    }

    [Theory]
    // RFC 6733 base, RFC 4006 and a few of each further group the table promises.
    [InlineData(260u, 0u, "Vendor-Specific-Application-Id")]
    [InlineData(279u, 0u, "Failed-AVP")]
    [InlineData(284u, 0u, "Proxy-Info")]
    [InlineData(282u, 0u, "Route-Record")]
    [InlineData(299u, 0u, "Inband-Security-Id")]
    [InlineData(277u, 0u, "Auth-Session-State")]
    [InlineData(27u, 0u, "Session-Timeout")]
    [InlineData(25u, 0u, "Class")]
    [InlineData(24u, 0u, "State")]
    [InlineData(11u, 0u, "Filter-Id")]
    [InlineData(411u, 0u, "CC-Correlation-Id")]
    [InlineData(423u, 0u, "Cost-Information")]
    [InlineData(434u, 0u, "Redirect-Server")]
    [InlineData(438u, 0u, "Restriction-Filter-Rule")]
    [InlineData(451u, 0u, "Tariff-Time-Change")]
    [InlineData(453u, 0u, "G-S-U-Pool-Identifier")]
    [InlineData(457u, 0u, "G-S-U-Pool-Reference")]
    [InlineData(659u, 0u, "Subscription-Id-Extension")]
    [InlineData(621u, 0u, "OC-Supported-Features")]
    [InlineData(1u, 10415u, "3GPP-IMSI")]
    [InlineData(9u, 10415u, "3GPP-GGSN-MCC-MNC")]
    [InlineData(20u, 10415u, "3GPP-IMEISV")]
    [InlineData(2606u, 10415u, "PDP-Address-Prefix-Length")]
    [InlineData(846u, 10415u, "CG-Address")]
    [InlineData(2064u, 10415u, "Node-Id")]
    [InlineData(1264u, 10415u, "Trigger")]
    [InlineData(870u, 10415u, "Trigger-Type")]
    [InlineData(2045u, 10415u, "Time-Usage")]
    [InlineData(1266u, 10415u, "Envelope")]
    [InlineData(881u, 10415u, "Quota-Consumption-Time")]
    [InlineData(1226u, 10415u, "Unit-Quota-Threshold")]
    [InlineData(2047u, 10415u, "Serving-Node-Type")]
    [InlineData(2067u, 10415u, "SGW-Address")]
    [InlineData(2066u, 10415u, "Charging-Characteristics-Selection-Mode")]
    [InlineData(2041u, 10415u, "Start-Time")]
    [InlineData(2042u, 10415u, "Stop-Time")]
    [InlineData(2051u, 10415u, "Dynamic-Address-Flag")]
    [InlineData(2050u, 10415u, "PDN-Connection-Charging-ID")]
    [InlineData(2319u, 10415u, "User-CSG-Information")]
    [InlineData(4406u, 10415u, "3GPP-PS-Data-Off-Status-32.299")]
    [InlineData(2847u, 10415u, "3GPP-PS-Data-Off-Status")]
    [InlineData(2046u, 10415u, "Traffic-Data-Volumes")]
    [InlineData(1249u, 10415u, "Service-Specific-Info")]
    [InlineData(1020u, 10415u, "Bearer-Identifier")]
    [InlineData(1032u, 10415u, "RAT-Type")]
    [InlineData(1050u, 10415u, "AN-GW-Address")]
    [InlineData(2812u, 10415u, "User-Location-Info-Time")]
    [InlineData(2848u, 10415u, "Extended-APN-AMBR-DL")]
    [InlineData(2849u, 10415u, "Extended-APN-AMBR-UL")]
    public void The_table_holds_the_promised_avps(uint code, uint vendor, string name) =>
        AvpDictionary.Find(code, vendor).ShouldNotBeNull(name).Name.ShouldBe(name);

    [Fact]
    public void Codes_are_scoped_by_vendor()
    {
        AvpDictionary.Find(1, 0)!.Name.ShouldBe("User-Name");
        AvpDictionary.Find(1, V)!.Name.ShouldBe("3GPP-IMSI");
        AvpDictionary.Find(1, 12345).ShouldBeNull();
        AvpDictionary.Find(263, V).ShouldBeNull();
    }

    [Fact]
    public void Names_are_unique_within_a_vendor()
    {
        AvpDictionary.All.GroupBy(d => (d.VendorId, d.Name)).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
        AvpDictionary.All.Count.ShouldBeGreaterThan(1000);
    }

    /// <summary>The identifier AvpCodes uses for an AVP name: 3GPP → ThreeGpp, each dash-separated word capitalised.</summary>
    private static string Identifier(string name) => string.Concat(name.Replace(".", "", StringComparison.Ordinal).Split('-')
        .Select(w => w.StartsWith("3GPP", StringComparison.Ordinal) ? "ThreeGpp" + w[4..] : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));

    private static readonly Dictionary<(uint, uint), string> Renamed = new()
    {
        [(2847, V)] = "ThreeGppPsDataOffStatus",           // TS 29.212's 3GPP-PS-Data-Off-Status
        [(4406, V)] = "ThreeGppPsDataOffStatusCharging",   // TS 32.299's, same name
        [(1483, V)] = "ServiceTypeS6a",                    // TS 29.272's Service-Type (NASREQ has one too)
    };

    [Fact]
    public void Every_avp_codes_constant_names_a_table_entry_and_every_entry_has_one()
    {
        var constants = typeof(AvpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(AvpCodes.Vendor3gpp))
            .ToDictionary(f => f.Name, f => (uint)f.GetRawConstantValue()!);
        var named = AvpDictionary.All.ToDictionary(d => Renamed.GetValueOrDefault((d.Code, d.VendorId)) ?? Identifier(d.Name), d => d.Code);
        named.Count.ShouldBe(AvpDictionary.All.Count); // identifiers are unique too
        constants.OrderBy(c => c.Key, StringComparer.Ordinal).ShouldBe(named.OrderBy(n => n.Key, StringComparer.Ordinal));
        AvpCodes.Vendor3gpp.ShouldBe(10415u);
    }

    [Fact]
    public void Fixed_sizes_follow_the_types()
    {
        AvpDictionary.Find(AvpCodes.CcTotalOctets, 0)!.FixedSize.ShouldBe(8);
        AvpDictionary.Find(AvpCodes.CcRequestType, 0)!.FixedSize.ShouldBe(4);
        AvpDictionary.Find(AvpCodes.EventTimestamp, 0)!.FixedSize.ShouldBe(4);
        AvpDictionary.Find(AvpCodes.SessionId, 0)!.FixedSize.ShouldBeNull();
        AvpDictionary.Find(AvpCodes.HostIpAddress, 0)!.FixedSize.ShouldBeNull();
    }
}
