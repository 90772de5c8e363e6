namespace Simlane.Diameter.Codec;

/// <summary>
/// The code of every AVP in <see cref="AvpDictionary"/>, one constant per AVP, grouped by the document that defines it.
/// AVP codes are scoped by vendor: a constant under a 3GPP heading means that code with Vendor-Id
/// <see cref="Vendor3gpp"/> (the V flag set), a constant under an IETF heading means Vendor-Id 0. The same number can
/// therefore name two AVPs (e.g. <see cref="UserName"/> 1 and <see cref="ThreeGppImsi"/> 1 of vendor 10415).
/// </summary>
public static class AvpCodes
{
    /// <summary>3GPP's vendor id (IANA private enterprise number), carried in the AVP header of every 3GPP AVP.</summary>
    public const uint Vendor3gpp = 10415;

    // RFC 6733 Diameter base protocol (vendor 0)
    /// <summary>Host-IP-Address (Address).</summary>
    public const uint HostIpAddress = 257;
    /// <summary>Auth-Application-Id (Unsigned32).</summary>
    public const uint AuthApplicationId = 258;
    /// <summary>Acct-Application-Id (Unsigned32).</summary>
    public const uint AcctApplicationId = 259;
    /// <summary>Vendor-Specific-Application-Id (Grouped).</summary>
    public const uint VendorSpecificApplicationId = 260;
    /// <summary>Redirect-Host-Usage (Enumerated).</summary>
    public const uint RedirectHostUsage = 261;
    /// <summary>Redirect-Max-Cache-Time (Unsigned32).</summary>
    public const uint RedirectMaxCacheTime = 262;
    /// <summary>Session-Id (UTF8String).</summary>
    public const uint SessionId = 263;
    /// <summary>Origin-Host (DiameterIdentity).</summary>
    public const uint OriginHost = 264;
    /// <summary>Supported-Vendor-Id (Unsigned32).</summary>
    public const uint SupportedVendorId = 265;
    /// <summary>Vendor-Id (Unsigned32).</summary>
    public const uint VendorId = 266;
    /// <summary>Firmware-Revision (Unsigned32).</summary>
    public const uint FirmwareRevision = 267;
    /// <summary>Result-Code (Unsigned32).</summary>
    public const uint ResultCode = 268;
    /// <summary>Product-Name (UTF8String).</summary>
    public const uint ProductName = 269;
    /// <summary>Session-Binding (Unsigned32).</summary>
    public const uint SessionBinding = 270;
    /// <summary>Session-Server-Failover (Enumerated).</summary>
    public const uint SessionServerFailover = 271;
    /// <summary>Multi-Round-Time-Out (Unsigned32).</summary>
    public const uint MultiRoundTimeOut = 272;
    /// <summary>Disconnect-Cause (Enumerated).</summary>
    public const uint DisconnectCause = 273;
    /// <summary>Auth-Request-Type (Enumerated).</summary>
    public const uint AuthRequestType = 274;
    /// <summary>Auth-Grace-Period (Unsigned32).</summary>
    public const uint AuthGracePeriod = 276;
    /// <summary>Auth-Session-State (Enumerated).</summary>
    public const uint AuthSessionState = 277;
    /// <summary>Origin-State-Id (Unsigned32).</summary>
    public const uint OriginStateId = 278;
    /// <summary>Failed-AVP (Grouped).</summary>
    public const uint FailedAvp = 279;
    /// <summary>Proxy-Host (DiameterIdentity).</summary>
    public const uint ProxyHost = 280;
    /// <summary>Error-Message (UTF8String).</summary>
    public const uint ErrorMessage = 281;
    /// <summary>Route-Record (DiameterIdentity).</summary>
    public const uint RouteRecord = 282;
    /// <summary>Destination-Realm (DiameterIdentity).</summary>
    public const uint DestinationRealm = 283;
    /// <summary>Proxy-Info (Grouped).</summary>
    public const uint ProxyInfo = 284;
    /// <summary>Re-Auth-Request-Type (Enumerated).</summary>
    public const uint ReAuthRequestType = 285;
    /// <summary>Accounting-Sub-Session-Id (Unsigned64).</summary>
    public const uint AccountingSubSessionId = 287;
    /// <summary>Authorization-Lifetime (Unsigned32).</summary>
    public const uint AuthorizationLifetime = 291;
    /// <summary>Redirect-Host (DiameterURI).</summary>
    public const uint RedirectHost = 292;
    /// <summary>Destination-Host (DiameterIdentity).</summary>
    public const uint DestinationHost = 293;
    /// <summary>Error-Reporting-Host (DiameterIdentity).</summary>
    public const uint ErrorReportingHost = 294;
    /// <summary>Termination-Cause (Enumerated).</summary>
    public const uint TerminationCause = 295;
    /// <summary>Origin-Realm (DiameterIdentity).</summary>
    public const uint OriginRealm = 296;
    /// <summary>Experimental-Result (Grouped).</summary>
    public const uint ExperimentalResult = 297;
    /// <summary>Experimental-Result-Code (Unsigned32).</summary>
    public const uint ExperimentalResultCode = 298;
    /// <summary>Inband-Security-Id (Unsigned32).</summary>
    public const uint InbandSecurityId = 299;
    /// <summary>E2E-Sequence (Grouped).</summary>
    public const uint E2eSequence = 300;
    /// <summary>Accounting-Record-Type (Enumerated).</summary>
    public const uint AccountingRecordType = 480;
    /// <summary>Accounting-Realtime-Required (Enumerated).</summary>
    public const uint AccountingRealtimeRequired = 483;
    /// <summary>Accounting-Record-Number (Unsigned32).</summary>
    public const uint AccountingRecordNumber = 485;

    // RFC 6733 AVPs taken from RADIUS (vendor 0)
    /// <summary>User-Name (UTF8String).</summary>
    public const uint UserName = 1;
    /// <summary>Class (OctetString).</summary>
    public const uint Class = 25;
    /// <summary>Session-Timeout (Unsigned32).</summary>
    public const uint SessionTimeout = 27;
    /// <summary>Proxy-State (OctetString).</summary>
    public const uint ProxyState = 33;
    /// <summary>Acct-Session-Id (OctetString).</summary>
    public const uint AcctSessionId = 44;
    /// <summary>Acct-Multi-Session-Id (UTF8String).</summary>
    public const uint AcctMultiSessionId = 50;
    /// <summary>Event-Timestamp (Time).</summary>
    public const uint EventTimestamp = 55;
    /// <summary>Acct-Interim-Interval (Unsigned32).</summary>
    public const uint AcctInterimInterval = 85;

    // RFC 7944 DRMP, RFC 7683 overload control (DOIC), RFC 8583 load information (vendor 0)
    /// <summary>DRMP (Enumerated).</summary>
    public const uint Drmp = 301;
    /// <summary>OC-Supported-Features (Grouped).</summary>
    public const uint OcSupportedFeatures = 621;
    /// <summary>OC-Feature-Vector (Unsigned64).</summary>
    public const uint OcFeatureVector = 622;
    /// <summary>OC-OLR (Grouped).</summary>
    public const uint OcOlr = 623;
    /// <summary>OC-Sequence-Number (Unsigned64).</summary>
    public const uint OcSequenceNumber = 624;
    /// <summary>OC-Validity-Duration (Unsigned32).</summary>
    public const uint OcValidityDuration = 625;
    /// <summary>OC-Report-Type (Enumerated).</summary>
    public const uint OcReportType = 626;
    /// <summary>OC-Reduction-Percentage (Unsigned32).</summary>
    public const uint OcReductionPercentage = 627;
    /// <summary>OC-Peer-Algo (Unsigned64).</summary>
    public const uint OcPeerAlgo = 648;
    /// <summary>SourceID (DiameterIdentity).</summary>
    public const uint Sourceid = 649;
    /// <summary>Load (Grouped).</summary>
    public const uint Load = 650;
    /// <summary>Load-Type (Enumerated).</summary>
    public const uint LoadType = 651;
    /// <summary>Load-Value (Unsigned64).</summary>
    public const uint LoadValue = 652;

    // RFC 4006 Diameter Credit-Control Application (vendor 0)
    /// <summary>CC-Correlation-Id (OctetString).</summary>
    public const uint CcCorrelationId = 411;
    /// <summary>CC-Input-Octets (Unsigned64).</summary>
    public const uint CcInputOctets = 412;
    /// <summary>CC-Money (Grouped).</summary>
    public const uint CcMoney = 413;
    /// <summary>CC-Output-Octets (Unsigned64).</summary>
    public const uint CcOutputOctets = 414;
    /// <summary>CC-Request-Number (Unsigned32).</summary>
    public const uint CcRequestNumber = 415;
    /// <summary>CC-Request-Type (Enumerated).</summary>
    public const uint CcRequestType = 416;
    /// <summary>CC-Service-Specific-Units (Unsigned64).</summary>
    public const uint CcServiceSpecificUnits = 417;
    /// <summary>CC-Session-Failover (Enumerated).</summary>
    public const uint CcSessionFailover = 418;
    /// <summary>CC-Sub-Session-Id (Unsigned64).</summary>
    public const uint CcSubSessionId = 419;
    /// <summary>CC-Time (Unsigned32).</summary>
    public const uint CcTime = 420;
    /// <summary>CC-Total-Octets (Unsigned64).</summary>
    public const uint CcTotalOctets = 421;
    /// <summary>Check-Balance-Result (Enumerated).</summary>
    public const uint CheckBalanceResult = 422;
    /// <summary>Cost-Information (Grouped).</summary>
    public const uint CostInformation = 423;
    /// <summary>Cost-Unit (UTF8String).</summary>
    public const uint CostUnit = 424;
    /// <summary>Currency-Code (Unsigned32).</summary>
    public const uint CurrencyCode = 425;
    /// <summary>Credit-Control (Enumerated).</summary>
    public const uint CreditControl = 426;
    /// <summary>Credit-Control-Failure-Handling (Enumerated).</summary>
    public const uint CreditControlFailureHandling = 427;
    /// <summary>Direct-Debiting-Failure-Handling (Enumerated).</summary>
    public const uint DirectDebitingFailureHandling = 428;
    /// <summary>Exponent (Integer32).</summary>
    public const uint Exponent = 429;
    /// <summary>Final-Unit-Indication (Grouped).</summary>
    public const uint FinalUnitIndication = 430;
    /// <summary>Granted-Service-Unit (Grouped).</summary>
    public const uint GrantedServiceUnit = 431;
    /// <summary>Rating-Group (Unsigned32).</summary>
    public const uint RatingGroup = 432;
    /// <summary>Redirect-Address-Type (Enumerated).</summary>
    public const uint RedirectAddressType = 433;
    /// <summary>Redirect-Server (Grouped).</summary>
    public const uint RedirectServer = 434;
    /// <summary>Redirect-Server-Address (UTF8String).</summary>
    public const uint RedirectServerAddress = 435;
    /// <summary>Requested-Action (Enumerated).</summary>
    public const uint RequestedAction = 436;
    /// <summary>Requested-Service-Unit (Grouped).</summary>
    public const uint RequestedServiceUnit = 437;
    /// <summary>Restriction-Filter-Rule (OctetString).</summary>
    public const uint RestrictionFilterRule = 438;
    /// <summary>Service-Identifier (Unsigned32).</summary>
    public const uint ServiceIdentifier = 439;
    /// <summary>Service-Parameter-Info (Grouped).</summary>
    public const uint ServiceParameterInfo = 440;
    /// <summary>Service-Parameter-Type (Unsigned32).</summary>
    public const uint ServiceParameterType = 441;
    /// <summary>Service-Parameter-Value (OctetString).</summary>
    public const uint ServiceParameterValue = 442;
    /// <summary>Subscription-Id (Grouped).</summary>
    public const uint SubscriptionId = 443;
    /// <summary>Subscription-Id-Data (UTF8String).</summary>
    public const uint SubscriptionIdData = 444;
    /// <summary>Unit-Value (Grouped).</summary>
    public const uint UnitValue = 445;
    /// <summary>Used-Service-Unit (Grouped).</summary>
    public const uint UsedServiceUnit = 446;
    /// <summary>Value-Digits (Integer64).</summary>
    public const uint ValueDigits = 447;
    /// <summary>Validity-Time (Unsigned32).</summary>
    public const uint ValidityTime = 448;
    /// <summary>Final-Unit-Action (Enumerated).</summary>
    public const uint FinalUnitAction = 449;
    /// <summary>Subscription-Id-Type (Enumerated).</summary>
    public const uint SubscriptionIdType = 450;
    /// <summary>Tariff-Time-Change (Time).</summary>
    public const uint TariffTimeChange = 451;
    /// <summary>Tariff-Change-Usage (Enumerated).</summary>
    public const uint TariffChangeUsage = 452;
    /// <summary>G-S-U-Pool-Identifier (Unsigned32).</summary>
    public const uint GSUPoolIdentifier = 453;
    /// <summary>CC-Unit-Type (Enumerated).</summary>
    public const uint CcUnitType = 454;
    /// <summary>Multiple-Services-Indicator (Enumerated).</summary>
    public const uint MultipleServicesIndicator = 455;
    /// <summary>Multiple-Services-Credit-Control (Grouped).</summary>
    public const uint MultipleServicesCreditControl = 456;
    /// <summary>G-S-U-Pool-Reference (Grouped).</summary>
    public const uint GSUPoolReference = 457;
    /// <summary>User-Equipment-Info (Grouped).</summary>
    public const uint UserEquipmentInfo = 458;
    /// <summary>User-Equipment-Info-Type (Enumerated).</summary>
    public const uint UserEquipmentInfoType = 459;
    /// <summary>User-Equipment-Info-Value (OctetString).</summary>
    public const uint UserEquipmentInfoValue = 460;
    /// <summary>Service-Context-Id (UTF8String).</summary>
    public const uint ServiceContextId = 461;

    // RFC 8506 Diameter Credit-Control Application (extension AVPs) (vendor 0)
    /// <summary>User-Equipment-Info-Extension (Grouped).</summary>
    public const uint UserEquipmentInfoExtension = 653;
    /// <summary>User-Equipment-Info-IMEISV (OctetString).</summary>
    public const uint UserEquipmentInfoImeisv = 654;
    /// <summary>User-Equipment-Info-MAC (OctetString).</summary>
    public const uint UserEquipmentInfoMac = 655;
    /// <summary>User-Equipment-Info-EUI64 (OctetString).</summary>
    public const uint UserEquipmentInfoEui64 = 656;
    /// <summary>User-Equipment-Info-ModifiedEUI64 (OctetString).</summary>
    public const uint UserEquipmentInfoModifiedeui64 = 657;
    /// <summary>User-Equipment-Info-IMEI (OctetString).</summary>
    public const uint UserEquipmentInfoImei = 658;
    /// <summary>Subscription-Id-Extension (Grouped).</summary>
    public const uint SubscriptionIdExtension = 659;
    /// <summary>Subscription-Id-E164 (UTF8String).</summary>
    public const uint SubscriptionIdE164 = 660;
    /// <summary>Subscription-Id-IMSI (UTF8String).</summary>
    public const uint SubscriptionIdImsi = 661;
    /// <summary>Subscription-Id-SIP-URI (UTF8String).</summary>
    public const uint SubscriptionIdSipUri = 662;
    /// <summary>Subscription-Id-NAI (UTF8String).</summary>
    public const uint SubscriptionIdNai = 663;
    /// <summary>Subscription-Id-Private (UTF8String).</summary>
    public const uint SubscriptionIdPrivate = 664;
    /// <summary>Redirect-Server-Extension (Grouped).</summary>
    public const uint RedirectServerExtension = 665;
    /// <summary>Redirect-Address-IPAddress (Address).</summary>
    public const uint RedirectAddressIpaddress = 666;
    /// <summary>Redirect-Address-URL (UTF8String).</summary>
    public const uint RedirectAddressUrl = 667;
    /// <summary>Redirect-Address-SIP-URI (UTF8String).</summary>
    public const uint RedirectAddressSipUri = 668;
    /// <summary>QoS-Final-Unit-Indication (Grouped).</summary>
    public const uint QosFinalUnitIndication = 669;

    // RFC 4004, RFC 5447, RFC 5778 mobility AVPs (APN configuration in S6a and Gx) (vendor 0)
    /// <summary>MIP6-Home-Link-Prefix (OctetString).</summary>
    public const uint Mip6HomeLinkPrefix = 125;
    /// <summary>MIP-Home-Agent-Address (Address).</summary>
    public const uint MipHomeAgentAddress = 334;
    /// <summary>MIP-Home-Agent-Host (Grouped).</summary>
    public const uint MipHomeAgentHost = 348;
    /// <summary>MIP6-Agent-Info (Grouped).</summary>
    public const uint Mip6AgentInfo = 486;
    /// <summary>Service-Selection (UTF8String).</summary>
    public const uint ServiceSelection = 493;

    // RFC 7155 Diameter NASREQ (RADIUS-derived AVPs such as Called-Station-Id) (vendor 0)
    /// <summary>User-Password (OctetString).</summary>
    public const uint UserPassword = 2;
    /// <summary>NAS-IP-Address (OctetString).</summary>
    public const uint NasIpAddress = 4;
    /// <summary>NAS-Port (Unsigned32).</summary>
    public const uint NasPort = 5;
    /// <summary>Service-Type (Unsigned32).</summary>
    public const uint ServiceType = 6;
    /// <summary>Framed-Protocol (Unsigned32).</summary>
    public const uint FramedProtocol = 7;
    /// <summary>Framed-IP-Address (OctetString).</summary>
    public const uint FramedIpAddress = 8;
    /// <summary>Framed-IP-Netmask (OctetString).</summary>
    public const uint FramedIpNetmask = 9;
    /// <summary>Framed-Routing (Unsigned32).</summary>
    public const uint FramedRouting = 10;
    /// <summary>Filter-Id (UTF8String).</summary>
    public const uint FilterId = 11;
    /// <summary>Framed-MTU (Unsigned32).</summary>
    public const uint FramedMtu = 12;
    /// <summary>Framed-Compression (Unsigned32).</summary>
    public const uint FramedCompression = 13;
    /// <summary>Login-IP-Host (OctetString).</summary>
    public const uint LoginIpHost = 14;
    /// <summary>Login-Service (Unsigned32).</summary>
    public const uint LoginService = 15;
    /// <summary>Login-TCP-Port (Unsigned32).</summary>
    public const uint LoginTcpPort = 16;
    /// <summary>Reply-Message (UTF8String).</summary>
    public const uint ReplyMessage = 18;
    /// <summary>Callback-Number (UTF8String).</summary>
    public const uint CallbackNumber = 19;
    /// <summary>Callback-Id (UTF8String).</summary>
    public const uint CallbackId = 20;
    /// <summary>Framed-Route (UTF8String).</summary>
    public const uint FramedRoute = 22;
    /// <summary>Framed-IPX-Network (Unsigned32).</summary>
    public const uint FramedIpxNetwork = 23;
    /// <summary>State (OctetString).</summary>
    public const uint State = 24;
    /// <summary>Idle-Timeout (Unsigned32).</summary>
    public const uint IdleTimeout = 28;
    /// <summary>Called-Station-Id (UTF8String).</summary>
    public const uint CalledStationId = 30;
    /// <summary>Calling-Station-Id (UTF8String).</summary>
    public const uint CallingStationId = 31;
    /// <summary>NAS-Identifier (UTF8String).</summary>
    public const uint NasIdentifier = 32;
    /// <summary>Login-LAT-Service (OctetString).</summary>
    public const uint LoginLatService = 34;
    /// <summary>Login-LAT-Node (OctetString).</summary>
    public const uint LoginLatNode = 35;
    /// <summary>Login-LAT-Group (OctetString).</summary>
    public const uint LoginLatGroup = 36;
    /// <summary>Framed-AppleTalk-Link (Unsigned32).</summary>
    public const uint FramedAppletalkLink = 37;
    /// <summary>Framed-AppleTalk-Network (Unsigned32).</summary>
    public const uint FramedAppletalkNetwork = 38;
    /// <summary>Framed-AppleTalk-Zone (OctetString).</summary>
    public const uint FramedAppletalkZone = 39;
    /// <summary>Acct-Delay-Time (Unsigned32).</summary>
    public const uint AcctDelayTime = 41;
    /// <summary>Acct-Authentic (Unsigned32).</summary>
    public const uint AcctAuthentic = 45;
    /// <summary>Acct-Session-Time (Unsigned32).</summary>
    public const uint AcctSessionTime = 46;
    /// <summary>Acct-Link-Count (Unsigned32).</summary>
    public const uint AcctLinkCount = 51;
    /// <summary>CHAP-Challenge (OctetString).</summary>
    public const uint ChapChallenge = 60;
    /// <summary>NAS-Port-Type (Unsigned32).</summary>
    public const uint NasPortType = 61;
    /// <summary>Port-Limit (Unsigned32).</summary>
    public const uint PortLimit = 62;
    /// <summary>Login-LAT-Port (OctetString).</summary>
    public const uint LoginLatPort = 63;
    /// <summary>Tunnel-Type (Unsigned32).</summary>
    public const uint TunnelType = 64;
    /// <summary>Tunnel-Medium-Type (Unsigned32).</summary>
    public const uint TunnelMediumType = 65;
    /// <summary>Tunnel-Client-Endpoint (UTF8String).</summary>
    public const uint TunnelClientEndpoint = 66;
    /// <summary>Tunnel-Server-Endpoint (UTF8String).</summary>
    public const uint TunnelServerEndpoint = 67;
    /// <summary>Acct-Tunnel-Connection (OctetString).</summary>
    public const uint AcctTunnelConnection = 68;
    /// <summary>Tunnel-Password (OctetString).</summary>
    public const uint TunnelPassword = 69;
    /// <summary>ARAP-Password (OctetString).</summary>
    public const uint ArapPassword = 70;
    /// <summary>ARAP-Features (OctetString).</summary>
    public const uint ArapFeatures = 71;
    /// <summary>ARAP-Zone-Access (Unsigned32).</summary>
    public const uint ArapZoneAccess = 72;
    /// <summary>ARAP-Security (Unsigned32).</summary>
    public const uint ArapSecurity = 73;
    /// <summary>ARAP-Security-Data (OctetString).</summary>
    public const uint ArapSecurityData = 74;
    /// <summary>Password-Retry (Unsigned32).</summary>
    public const uint PasswordRetry = 75;
    /// <summary>Prompt (Unsigned32).</summary>
    public const uint Prompt = 76;
    /// <summary>Connect-Info (UTF8String).</summary>
    public const uint ConnectInfo = 77;
    /// <summary>Configuration-Token (OctetString).</summary>
    public const uint ConfigurationToken = 78;
    /// <summary>Tunnel-Private-Group-Id (OctetString).</summary>
    public const uint TunnelPrivateGroupId = 81;
    /// <summary>Tunnel-Assignment-Id (OctetString).</summary>
    public const uint TunnelAssignmentId = 82;
    /// <summary>Tunnel-Preference (Unsigned32).</summary>
    public const uint TunnelPreference = 83;
    /// <summary>ARAP-Challenge-Response (OctetString).</summary>
    public const uint ArapChallengeResponse = 84;
    /// <summary>Acct-Tunnel-Packets-Lost (Unsigned32).</summary>
    public const uint AcctTunnelPacketsLost = 86;
    /// <summary>NAS-Port-Id (UTF8String).</summary>
    public const uint NasPortId = 87;
    /// <summary>Framed-Pool (OctetString).</summary>
    public const uint FramedPool = 88;
    /// <summary>Tunnel-Client-Auth-Id (UTF8String).</summary>
    public const uint TunnelClientAuthId = 90;
    /// <summary>Tunnel-Server-Auth-Id (UTF8String).</summary>
    public const uint TunnelServerAuthId = 91;
    /// <summary>Originating-Line-Info (OctetString).</summary>
    public const uint OriginatingLineInfo = 94;
    /// <summary>NAS-IPv6-Address (OctetString).</summary>
    public const uint NasIpv6Address = 95;
    /// <summary>Framed-Interface-Id (Unsigned64).</summary>
    public const uint FramedInterfaceId = 96;
    /// <summary>Framed-IPv6-Prefix (OctetString).</summary>
    public const uint FramedIpv6Prefix = 97;
    /// <summary>Login-IPv6-Host (OctetString).</summary>
    public const uint LoginIpv6Host = 98;
    /// <summary>Framed-IPv6-Route (UTF8String).</summary>
    public const uint FramedIpv6Route = 99;
    /// <summary>Framed-IPv6-Pool (OctetString).</summary>
    public const uint FramedIpv6Pool = 100;
    /// <summary>Accounting-Input-Octets (Unsigned64).</summary>
    public const uint AccountingInputOctets = 363;
    /// <summary>Accounting-Output-Octets (Unsigned64).</summary>
    public const uint AccountingOutputOctets = 364;
    /// <summary>Accounting-Input-Packets (Unsigned64).</summary>
    public const uint AccountingInputPackets = 365;
    /// <summary>Accounting-Output-Packets (Unsigned64).</summary>
    public const uint AccountingOutputPackets = 366;
    /// <summary>NAS-Filter-Rule (OctetString).</summary>
    public const uint NasFilterRule = 400;
    /// <summary>Tunneling (Grouped).</summary>
    public const uint Tunneling = 401;
    /// <summary>CHAP-Auth (Grouped).</summary>
    public const uint ChapAuth = 402;
    /// <summary>CHAP-Algorithm (Unsigned32).</summary>
    public const uint ChapAlgorithm = 403;
    /// <summary>CHAP-Ident (OctetString).</summary>
    public const uint ChapIdent = 404;
    /// <summary>CHAP-Response (OctetString).</summary>
    public const uint ChapResponse = 405;
    /// <summary>Accounting-Auth-Method (Unsigned32).</summary>
    public const uint AccountingAuthMethod = 406;
    /// <summary>QoS-Filter-Rule (OctetString).</summary>
    public const uint QosFilterRule = 407;
    /// <summary>Origin-AAA-Protocol (Unsigned32).</summary>
    public const uint OriginAaaProtocol = 408;

    // 3GPP TS 29.061 (Gi/SGi, RADIUS-derived 3GPP AVPs) (vendor 10415, 3GPP)
    /// <summary>3GPP-IMSI (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppImsi = 1;
    /// <summary>3GPP-Charging-Id (Unsigned32, vendor 10415).</summary>
    public const uint ThreeGppChargingId = 2;
    /// <summary>3GPP-PDP-Type (Enumerated, vendor 10415).</summary>
    public const uint ThreeGppPdpType = 3;
    /// <summary>3GPP-CG-Address (OctetString, vendor 10415).</summary>
    public const uint ThreeGppCgAddress = 4;
    /// <summary>3GPP-GPRS-Negotiated-QoS-Profile (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppGprsNegotiatedQosProfile = 5;
    /// <summary>3GPP-SGSN-Address (OctetString, vendor 10415).</summary>
    public const uint ThreeGppSgsnAddress = 6;
    /// <summary>3GPP-GGSN-Address (OctetString, vendor 10415).</summary>
    public const uint ThreeGppGgsnAddress = 7;
    /// <summary>3GPP-IMSI-MCC-MNC (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppImsiMccMnc = 8;
    /// <summary>3GPP-GGSN-MCC-MNC (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppGgsnMccMnc = 9;
    /// <summary>3GPP-NSAPI (OctetString, vendor 10415).</summary>
    public const uint ThreeGppNsapi = 10;
    /// <summary>3GPP-Session-Stop-Indicator (OctetString, vendor 10415).</summary>
    public const uint ThreeGppSessionStopIndicator = 11;
    /// <summary>3GPP-Selection-Mode (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppSelectionMode = 12;
    /// <summary>3GPP-Charging-Characteristics (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppChargingCharacteristics = 13;
    /// <summary>3GPP-CG-Ipv6-Address (OctetString, vendor 10415).</summary>
    public const uint ThreeGppCgIpv6Address = 14;
    /// <summary>3GPP-SGSN-Ipv6-Address (OctetString, vendor 10415).</summary>
    public const uint ThreeGppSgsnIpv6Address = 15;
    /// <summary>3GPP-GGSN-Ipv6-Address (OctetString, vendor 10415).</summary>
    public const uint ThreeGppGgsnIpv6Address = 16;
    /// <summary>3GPP-Ipv6-DNS-Servers (OctetString, vendor 10415).</summary>
    public const uint ThreeGppIpv6DnsServers = 17;
    /// <summary>3GPP-SGSN-MCC-MNC (UTF8String, vendor 10415).</summary>
    public const uint ThreeGppSgsnMccMnc = 18;
    /// <summary>3GPP-IMEISV (OctetString, vendor 10415).</summary>
    public const uint ThreeGppImeisv = 20;
    /// <summary>3GPP-RAT-Type (OctetString, vendor 10415).</summary>
    public const uint ThreeGppRatType = 21;
    /// <summary>3GPP-User-Location-Info (OctetString, vendor 10415).</summary>
    public const uint ThreeGppUserLocationInfo = 22;
    /// <summary>3GPP-MS-TimeZone (OctetString, vendor 10415).</summary>
    public const uint ThreeGppMsTimezone = 23;
    /// <summary>3GPP-CAMEL-Charging-Info (OctetString, vendor 10415).</summary>
    public const uint ThreeGppCamelChargingInfo = 24;
    /// <summary>3GPP-Packet-Filter (OctetString, vendor 10415).</summary>
    public const uint ThreeGppPacketFilter = 25;
    /// <summary>3GPP-Negotiated-DSCP (OctetString, vendor 10415).</summary>
    public const uint ThreeGppNegotiatedDscp = 26;
    /// <summary>3GPP-Allocate-IP-Type (OctetString, vendor 10415).</summary>
    public const uint ThreeGppAllocateIpType = 27;
    /// <summary>TWAN-Identifier (OctetString, vendor 10415).</summary>
    public const uint TwanIdentifier = 29;
    /// <summary>3GPP-User-Location-Info-Time (OctetString, vendor 10415).</summary>
    public const uint ThreeGppUserLocationInfoTime = 30;
    /// <summary>3GPP-Secondary-RAT-Usage (OctetString, vendor 10415).</summary>
    public const uint ThreeGppSecondaryRatUsage = 31;
    /// <summary>TMGI (OctetString, vendor 10415).</summary>
    public const uint Tmgi = 900;
    /// <summary>Required-MBMS-Bearer-Capabilities (UTF8String, vendor 10415).</summary>
    public const uint RequiredMbmsBearerCapabilities = 901;
    /// <summary>MBMS-StartStop-Indication (Enumerated, vendor 10415).</summary>
    public const uint MbmsStartstopIndication = 902;
    /// <summary>MBMS-Service-Area (OctetString, vendor 10415).</summary>
    public const uint MbmsServiceArea = 903;
    /// <summary>MBMS-Session-Duration (OctetString, vendor 10415).</summary>
    public const uint MbmsSessionDuration = 904;
    /// <summary>Alternative-APN (UTF8String, vendor 10415).</summary>
    public const uint AlternativeApn = 905;
    /// <summary>MBMS-Service-Type (Enumerated, vendor 10415).</summary>
    public const uint MbmsServiceType = 906;
    /// <summary>MBMS-2G-3G-Indicator (Enumerated, vendor 10415).</summary>
    public const uint Mbms2g3gIndicator = 907;
    /// <summary>MBMS-Session-Identity (OctetString, vendor 10415).</summary>
    public const uint MbmsSessionIdentity = 908;
    /// <summary>RAI (UTF8String, vendor 10415).</summary>
    public const uint Rai = 909;
    /// <summary>Additional-MBMS-Trace-Info (OctetString, vendor 10415).</summary>
    public const uint AdditionalMbmsTraceInfo = 910;
    /// <summary>MBMS-Time-To-Data-Transfer (OctetString, vendor 10415).</summary>
    public const uint MbmsTimeToDataTransfer = 911;
    /// <summary>MBMS-Session-Repetition-Number (OctetString, vendor 10415).</summary>
    public const uint MbmsSessionRepetitionNumber = 912;
    /// <summary>MBMS-Required-QoS (UTF8String, vendor 10415).</summary>
    public const uint MbmsRequiredQos = 913;
    /// <summary>MBMS-Counting-Information (Enumerated, vendor 10415).</summary>
    public const uint MbmsCountingInformation = 914;
    /// <summary>MBMS-User-Data-Mode-Indication (Enumerated, vendor 10415).</summary>
    public const uint MbmsUserDataModeIndication = 915;
    /// <summary>MBMS-GGSN-Address (OctetString, vendor 10415).</summary>
    public const uint MbmsGgsnAddress = 916;
    /// <summary>MBMS-GGSN-Ipv6-Address (OctetString, vendor 10415).</summary>
    public const uint MbmsGgsnIpv6Address = 917;
    /// <summary>MBMS-BMSC-SSM-IP-Address (OctetString, vendor 10415).</summary>
    public const uint MbmsBmscSsmIpAddress = 918;
    /// <summary>MBMS-BMSC-SSM-Ipv6-Address (OctetString, vendor 10415).</summary>
    public const uint MbmsBmscSsmIpv6Address = 919;
    /// <summary>MBMS-Flow-Identifier (OctetString, vendor 10415).</summary>
    public const uint MbmsFlowIdentifier = 920;
    /// <summary>CN-IP-Multicast-Distribution (Enumerated, vendor 10415).</summary>
    public const uint CnIpMulticastDistribution = 921;
    /// <summary>MBMS-HC-Indicator (Enumerated, vendor 10415).</summary>
    public const uint MbmsHcIndicator = 922;
    /// <summary>MBMS-Access-Indicator (Enumerated, vendor 10415).</summary>
    public const uint MbmsAccessIndicator = 923;
    /// <summary>MBMS-GW-SSM-IP-Address (OctetString, vendor 10415).</summary>
    public const uint MbmsGwSsmIpAddress = 924;
    /// <summary>MBMS-GW-SSM-IPv6-Address (OctetString, vendor 10415).</summary>
    public const uint MbmsGwSsmIpv6Address = 925;
    /// <summary>MBMS-BMSC-SSM-UDP-Port (OctetString, vendor 10415).</summary>
    public const uint MbmsBmscSsmUdpPort = 926;
    /// <summary>MBMS-GW-UDP-Port (OctetString, vendor 10415).</summary>
    public const uint MbmsGwUdpPort = 927;
    /// <summary>MBMS-GW-UDP-Port-Indicator (Enumerated, vendor 10415).</summary>
    public const uint MbmsGwUdpPortIndicator = 928;
    /// <summary>MBMS-Data-Transfer-Start (Unsigned64, vendor 10415).</summary>
    public const uint MbmsDataTransferStart = 929;
    /// <summary>MBMS-Data-Transfer-Stop (Unsigned64, vendor 10415).</summary>
    public const uint MbmsDataTransferStop = 930;
    /// <summary>MBMS-Flags (Unsigned32, vendor 10415).</summary>
    public const uint MbmsFlags = 931;
    /// <summary>Restart-Counter (Unsigned32, vendor 10415).</summary>
    public const uint RestartCounter = 932;
    /// <summary>Diagnostic-Info (Unsigned32, vendor 10415).</summary>
    public const uint DiagnosticInfo = 933;
    /// <summary>MBMS-Cell-List (OctetString, vendor 10415).</summary>
    public const uint MbmsCellList = 934;

    // 3GPP TS 29.212 (Gx policy and charging control) (vendor 10415, 3GPP)
    /// <summary>Bearer-Usage (Enumerated, vendor 10415).</summary>
    public const uint BearerUsage = 1000;
    /// <summary>Charging-Rule-Install (Grouped, vendor 10415).</summary>
    public const uint ChargingRuleInstall = 1001;
    /// <summary>Charging-Rule-Remove (Grouped, vendor 10415).</summary>
    public const uint ChargingRuleRemove = 1002;
    /// <summary>Charging-Rule-Definition (Grouped, vendor 10415).</summary>
    public const uint ChargingRuleDefinition = 1003;
    /// <summary>Charging-Rule-Base-Name (UTF8String, vendor 10415).</summary>
    public const uint ChargingRuleBaseName = 1004;
    /// <summary>Charging-Rule-Name (OctetString, vendor 10415).</summary>
    public const uint ChargingRuleName = 1005;
    /// <summary>Event-Trigger (Enumerated, vendor 10415).</summary>
    public const uint EventTrigger = 1006;
    /// <summary>Metering-Method (Enumerated, vendor 10415).</summary>
    public const uint MeteringMethod = 1007;
    /// <summary>Offline (Enumerated, vendor 10415).</summary>
    public const uint Offline = 1008;
    /// <summary>Online (Enumerated, vendor 10415).</summary>
    public const uint Online = 1009;
    /// <summary>Precedence (Unsigned32, vendor 10415).</summary>
    public const uint Precedence = 1010;
    /// <summary>Reporting-Level (Enumerated, vendor 10415).</summary>
    public const uint ReportingLevel = 1011;
    /// <summary>TFT-Filter (OctetString, vendor 10415).</summary>
    public const uint TftFilter = 1012;
    /// <summary>TFT-Packet-Filter-Information (Grouped, vendor 10415).</summary>
    public const uint TftPacketFilterInformation = 1013;
    /// <summary>ToS-Traffic-Class (OctetString, vendor 10415).</summary>
    public const uint TosTrafficClass = 1014;
    /// <summary>QoS-Information (Grouped, vendor 10415).</summary>
    public const uint QosInformation = 1016;
    /// <summary>Charging-Rule-Report (Grouped, vendor 10415).</summary>
    public const uint ChargingRuleReport = 1018;
    /// <summary>PCC-Rule-Status (Enumerated, vendor 10415).</summary>
    public const uint PccRuleStatus = 1019;
    /// <summary>Bearer-Identifier (OctetString, vendor 10415).</summary>
    public const uint BearerIdentifier = 1020;
    /// <summary>Bearer-Operation (Enumerated, vendor 10415).</summary>
    public const uint BearerOperation = 1021;
    /// <summary>Access-Network-Charging-Identifier-Gx (Grouped, vendor 10415).</summary>
    public const uint AccessNetworkChargingIdentifierGx = 1022;
    /// <summary>Bearer-Control-Mode (Enumerated, vendor 10415).</summary>
    public const uint BearerControlMode = 1023;
    /// <summary>Network-Request-Support (Enumerated, vendor 10415).</summary>
    public const uint NetworkRequestSupport = 1024;
    /// <summary>Guaranteed-Bitrate-DL (Unsigned32, vendor 10415).</summary>
    public const uint GuaranteedBitrateDl = 1025;
    /// <summary>Guaranteed-Bitrate-UL (Unsigned32, vendor 10415).</summary>
    public const uint GuaranteedBitrateUl = 1026;
    /// <summary>IP-CAN-Type (Enumerated, vendor 10415).</summary>
    public const uint IpCanType = 1027;
    /// <summary>QoS-Class-Identifier (Enumerated, vendor 10415).</summary>
    public const uint QosClassIdentifier = 1028;
    /// <summary>QoS-Negotiation (Enumerated, vendor 10415).</summary>
    public const uint QosNegotiation = 1029;
    /// <summary>QoS-Upgrade (Enumerated, vendor 10415).</summary>
    public const uint QosUpgrade = 1030;
    /// <summary>Rule-Failure-Code (Enumerated, vendor 10415).</summary>
    public const uint RuleFailureCode = 1031;
    /// <summary>RAT-Type (Enumerated, vendor 10415).</summary>
    public const uint RatType = 1032;
    /// <summary>Event-Report-Indication (Grouped, vendor 10415).</summary>
    public const uint EventReportIndication = 1033;
    /// <summary>Allocation-Retention-Priority (Grouped, vendor 10415).</summary>
    public const uint AllocationRetentionPriority = 1034;
    /// <summary>CoA-IP-Address (Address, vendor 10415).</summary>
    public const uint CoaIpAddress = 1035;
    /// <summary>Tunnel-Header-Filter (OctetString, vendor 10415).</summary>
    public const uint TunnelHeaderFilter = 1036;
    /// <summary>Tunnel-Header-Length (Unsigned32, vendor 10415).</summary>
    public const uint TunnelHeaderLength = 1037;
    /// <summary>Tunnel-Information (Grouped, vendor 10415).</summary>
    public const uint TunnelInformation = 1038;
    /// <summary>CoA-Information (Grouped, vendor 10415).</summary>
    public const uint CoaInformation = 1039;
    /// <summary>APN-Aggregate-Max-Bitrate-DL (Unsigned32, vendor 10415).</summary>
    public const uint ApnAggregateMaxBitrateDl = 1040;
    /// <summary>APN-Aggregate-Max-Bitrate-UL (Unsigned32, vendor 10415).</summary>
    public const uint ApnAggregateMaxBitrateUl = 1041;
    /// <summary>Revalidation-Time (Time, vendor 10415).</summary>
    public const uint RevalidationTime = 1042;
    /// <summary>Rule-Activation-Time (Time, vendor 10415).</summary>
    public const uint RuleActivationTime = 1043;
    /// <summary>Rule-Deactivation-Time (Time, vendor 10415).</summary>
    public const uint RuleDeactivationTime = 1044;
    /// <summary>Session-Release-Cause (Enumerated, vendor 10415).</summary>
    public const uint SessionReleaseCause = 1045;
    /// <summary>Priority-Level (Unsigned32, vendor 10415).</summary>
    public const uint PriorityLevel = 1046;
    /// <summary>Pre-emption-Capability (Enumerated, vendor 10415).</summary>
    public const uint PreEmptionCapability = 1047;
    /// <summary>Pre-emption-Vulnerability (Enumerated, vendor 10415).</summary>
    public const uint PreEmptionVulnerability = 1048;
    /// <summary>Default-EPS-Bearer-QoS (Grouped, vendor 10415).</summary>
    public const uint DefaultEpsBearerQos = 1049;
    /// <summary>AN-GW-Address (Address, vendor 10415).</summary>
    public const uint AnGwAddress = 1050;
    /// <summary>QoS-Rule-Install (Grouped, vendor 10415).</summary>
    public const uint QosRuleInstall = 1051;
    /// <summary>QoS-Rule-Remove (Grouped, vendor 10415).</summary>
    public const uint QosRuleRemove = 1052;
    /// <summary>QoS-Rule-Definition (Grouped, vendor 10415).</summary>
    public const uint QosRuleDefinition = 1053;
    /// <summary>QoS-Rule-Name (OctetString, vendor 10415).</summary>
    public const uint QosRuleName = 1054;
    /// <summary>QoS-Rule-Report (Grouped, vendor 10415).</summary>
    public const uint QosRuleReport = 1055;
    /// <summary>Security-Parameter-Index (OctetString, vendor 10415).</summary>
    public const uint SecurityParameterIndex = 1056;
    /// <summary>Flow-Label (OctetString, vendor 10415).</summary>
    public const uint FlowLabel = 1057;
    /// <summary>Flow-Information (Grouped, vendor 10415).</summary>
    public const uint FlowInformation = 1058;
    /// <summary>Packet-Filter-Content (OctetString, vendor 10415).</summary>
    public const uint PacketFilterContent = 1059;
    /// <summary>Packet-Filter-Identifier (OctetString, vendor 10415).</summary>
    public const uint PacketFilterIdentifier = 1060;
    /// <summary>Packet-Filter-Information (Grouped, vendor 10415).</summary>
    public const uint PacketFilterInformation = 1061;
    /// <summary>Packet-Filter-Operation (Enumerated, vendor 10415).</summary>
    public const uint PacketFilterOperation = 1062;
    /// <summary>Resource-Allocation-Notification (Enumerated, vendor 10415).</summary>
    public const uint ResourceAllocationNotification = 1063;
    /// <summary>Session-Linking-Indicator (Enumerated, vendor 10415).</summary>
    public const uint SessionLinkingIndicator = 1064;
    /// <summary>PDN-Connection-ID (OctetString, vendor 10415).</summary>
    public const uint PdnConnectionId = 1065;
    /// <summary>Monitoring-Key (OctetString, vendor 10415).</summary>
    public const uint MonitoringKey = 1066;
    /// <summary>Usage-Monitoring-Information (Grouped, vendor 10415).</summary>
    public const uint UsageMonitoringInformation = 1067;
    /// <summary>Usage-Monitoring-Level (Enumerated, vendor 10415).</summary>
    public const uint UsageMonitoringLevel = 1068;
    /// <summary>Usage-Monitoring-Report (Enumerated, vendor 10415).</summary>
    public const uint UsageMonitoringReport = 1069;
    /// <summary>Usage-Monitoring-Support (Enumerated, vendor 10415).</summary>
    public const uint UsageMonitoringSupport = 1070;
    /// <summary>CSG-Information-Reporting (Enumerated, vendor 10415).</summary>
    public const uint CsgInformationReporting = 1071;
    /// <summary>Packet-Filter-Usage (Enumerated, vendor 10415).</summary>
    public const uint PacketFilterUsage = 1072;
    /// <summary>Charging-Correlation-Indicator (Enumerated, vendor 10415).</summary>
    public const uint ChargingCorrelationIndicator = 1073;
    /// <summary>QoS-Rule-Base-Name (UTF8String, vendor 10415).</summary>
    public const uint QosRuleBaseName = 1074;
    /// <summary>Routing-Rule-Remove (Grouped, vendor 10415).</summary>
    public const uint RoutingRuleRemove = 1075;
    /// <summary>Routing-Rule-Definition (Grouped, vendor 10415).</summary>
    public const uint RoutingRuleDefinition = 1076;
    /// <summary>Routing-Rule-Identifier (OctetString, vendor 10415).</summary>
    public const uint RoutingRuleIdentifier = 1077;
    /// <summary>Routing-Filter (Grouped, vendor 10415).</summary>
    public const uint RoutingFilter = 1078;
    /// <summary>Routing-IP-Address (Address, vendor 10415).</summary>
    public const uint RoutingIpAddress = 1079;
    /// <summary>Flow-Direction (Enumerated, vendor 10415).</summary>
    public const uint FlowDirection = 1080;
    /// <summary>Routing-Rule-Install (Grouped, vendor 10415).</summary>
    public const uint RoutingRuleInstall = 1081;
    /// <summary>Credit-Management-Status (Unsigned32, vendor 10415).</summary>
    public const uint CreditManagementStatus = 1082;
    /// <summary>Redirect-Information (Grouped, vendor 10415).</summary>
    public const uint RedirectInformation = 1085;
    /// <summary>Redirect-Support (Enumerated, vendor 10415).</summary>
    public const uint RedirectSupport = 1086;
    /// <summary>TDF-Information (Grouped, vendor 10415).</summary>
    public const uint TdfInformation = 1087;
    /// <summary>TDF-Application-Identifier (OctetString, vendor 10415).</summary>
    public const uint TdfApplicationIdentifier = 1088;
    /// <summary>TDF-Destination-Host (DiameterIdentity, vendor 10415).</summary>
    public const uint TdfDestinationHost = 1089;
    /// <summary>TDF-Destination-Realm (DiameterIdentity, vendor 10415).</summary>
    public const uint TdfDestinationRealm = 1090;
    /// <summary>TDF-IP-Address (Address, vendor 10415).</summary>
    public const uint TdfIpAddress = 1091;
    /// <summary>ADC-Rule-Install (Grouped, vendor 10415).</summary>
    public const uint AdcRuleInstall = 1092;
    /// <summary>ADC-Rule-Remove (Grouped, vendor 10415).</summary>
    public const uint AdcRuleRemove = 1093;
    /// <summary>ADC-Rule-Definition (Grouped, vendor 10415).</summary>
    public const uint AdcRuleDefinition = 1094;
    /// <summary>ADC-Rule-Base-Name (UTF8String, vendor 10415).</summary>
    public const uint AdcRuleBaseName = 1095;
    /// <summary>ADC-Rule-Name (OctetString, vendor 10415).</summary>
    public const uint AdcRuleName = 1096;
    /// <summary>ADC-Rule-Report (Grouped, vendor 10415).</summary>
    public const uint AdcRuleReport = 1097;
    /// <summary>Application-Detection-Information (Grouped, vendor 10415).</summary>
    public const uint ApplicationDetectionInformation = 1098;
    /// <summary>PS-to-CS-Session-Continuity (Enumerated, vendor 10415).</summary>
    public const uint PsToCsSessionContinuity = 1099;
    /// <summary>TDF-Application-Instance-Identifier (OctetString, vendor 10415).</summary>
    public const uint TdfApplicationInstanceIdentifier = 2802;
    /// <summary>HeNB-Local-IP-Address (Address, vendor 10415).</summary>
    public const uint HenbLocalIpAddress = 2804;
    /// <summary>UE-Local-IP-Address (Address, vendor 10415).</summary>
    public const uint UeLocalIpAddress = 2805;
    /// <summary>UDP-Source-Port (Unsigned32, vendor 10415).</summary>
    public const uint UdpSourcePort = 2806;
    /// <summary>CS-Service-Qos-Request-Identifier (OctetString, vendor 10415).</summary>
    public const uint CsServiceQosRequestIdentifier = 2807;
    /// <summary>CS-Service-QoS-Request-Operation (Enumerated, vendor 10415).</summary>
    public const uint CsServiceQosRequestOperation = 2808;
    /// <summary>Mute-Notification (Enumerated, vendor 10415).</summary>
    public const uint MuteNotification = 2809;
    /// <summary>Monitoring-Time (Time, vendor 10415).</summary>
    public const uint MonitoringTime = 2810;
    /// <summary>AN-GW-Status (Enumerated, vendor 10415).</summary>
    public const uint AnGwStatus = 2811;
    /// <summary>User-Location-Info-Time (Time, vendor 10415).</summary>
    public const uint UserLocationInfoTime = 2812;
    /// <summary>CS-Service-Resource-Report (Grouped, vendor 10415).</summary>
    public const uint CsServiceResourceReport = 2813;
    /// <summary>CS-Service-Resource-Failure-Cause (Enumerated, vendor 10415).</summary>
    public const uint CsServiceResourceFailureCause = 2814;
    /// <summary>CS-Service-Resource-Result-Operation (Enumerated, vendor 10415).</summary>
    public const uint CsServiceResourceResultOperation = 2815;
    /// <summary>Default-QoS-Information (Grouped, vendor 10415).</summary>
    public const uint DefaultQosInformation = 2816;
    /// <summary>Default-QoS-Name (UTF8String, vendor 10415).</summary>
    public const uint DefaultQosName = 2817;
    /// <summary>Conditional-APN-Aggregate-Max-Bitrate (Grouped, vendor 10415).</summary>
    public const uint ConditionalApnAggregateMaxBitrate = 2818;
    /// <summary>RAN-NAS-Release-Cause (OctetString, vendor 10415).</summary>
    public const uint RanNasReleaseCause = 2819;
    /// <summary>Presence-Reporting-Area-Elements-List (OctetString, vendor 10415).</summary>
    public const uint PresenceReportingAreaElementsList = 2820;
    /// <summary>Presence-Reporting-Area-Identifier (OctetString, vendor 10415).</summary>
    public const uint PresenceReportingAreaIdentifier = 2821;
    /// <summary>Presence-Reporting-Area-Information (Grouped, vendor 10415).</summary>
    public const uint PresenceReportingAreaInformation = 2822;
    /// <summary>Presence-Reporting-Area-Status (Unsigned32, vendor 10415).</summary>
    public const uint PresenceReportingAreaStatus = 2823;
    /// <summary>NetLoc-Access-Support (Unsigned32, vendor 10415).</summary>
    public const uint NetlocAccessSupport = 2824;
    /// <summary>Fixed-User-Location-Info (Grouped, vendor 10415).</summary>
    public const uint FixedUserLocationInfo = 2825;
    /// <summary>PCSCF-Restoration-Indication (Unsigned32, vendor 10415).</summary>
    public const uint PcscfRestorationIndication = 2826;
    /// <summary>IP-CAN-Session-Charging-Scope (Enumerated, vendor 10415).</summary>
    public const uint IpCanSessionChargingScope = 2827;
    /// <summary>Monitoring-Flags (Unsigned32, vendor 10415).</summary>
    public const uint MonitoringFlags = 2828;
    /// <summary>Default-Access (Enumerated, vendor 10415).</summary>
    public const uint DefaultAccess = 2829;
    /// <summary>NBIFOM-Mode (Enumerated, vendor 10415).</summary>
    public const uint NbifomMode = 2830;
    /// <summary>NBIFOM-Support (Enumerated, vendor 10415).</summary>
    public const uint NbifomSupport = 2831;
    /// <summary>RAN-Rule-Support (Unsigned32, vendor 10415).</summary>
    public const uint RanRuleSupport = 2832;
    /// <summary>Access-Availability-Change-Reason (Unsigned32, vendor 10415).</summary>
    public const uint AccessAvailabilityChangeReason = 2833;
    /// <summary>Routing-Rule-Failure-Code (Unsigned32, vendor 10415).</summary>
    public const uint RoutingRuleFailureCode = 2834;
    /// <summary>Routing-Rule-Report (Grouped, vendor 10415).</summary>
    public const uint RoutingRuleReport = 2835;
    /// <summary>Traffic-Steering-Policy-Identifier-DL (OctetString, vendor 10415).</summary>
    public const uint TrafficSteeringPolicyIdentifierDl = 2836;
    /// <summary>Traffic-Steering-Policy-Identifier-UL (OctetString, vendor 10415).</summary>
    public const uint TrafficSteeringPolicyIdentifierUl = 2837;
    /// <summary>Request-Type (Unsigned32, vendor 10415).</summary>
    public const uint RequestType = 2838;
    /// <summary>Execution-Time (Time, vendor 10415).</summary>
    public const uint ExecutionTime = 2839;
    /// <summary>Conditional-Policy-Information (Grouped, vendor 10415).</summary>
    public const uint ConditionalPolicyInformation = 2840;
    /// <summary>Resource-Release-Notification (Enumerated, vendor 10415).</summary>
    public const uint ResourceReleaseNotification = 2841;
    /// <summary>Removal-Of-Access (Enumerated, vendor 10415).</summary>
    public const uint RemovalOfAccess = 2842;
    /// <summary>TCP-Source-Port (Unsigned32, vendor 10415).</summary>
    public const uint TcpSourcePort = 2843;
    /// <summary>Default-Bearer-Indication (Enumerated, vendor 10415).</summary>
    public const uint DefaultBearerIndication = 2844;
    /// <summary>PRA-Install (Grouped, vendor 10415).</summary>
    public const uint PraInstall = 2845;
    /// <summary>PRA-Remove (Grouped, vendor 10415).</summary>
    public const uint PraRemove = 2846;
    /// <summary>3GPP-PS-Data-Off-Status (Enumerated, vendor 10415).</summary>
    public const uint ThreeGppPsDataOffStatus = 2847;
    /// <summary>Extended-APN-AMBR-DL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedApnAmbrDl = 2848;
    /// <summary>Extended-APN-AMBR-UL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedApnAmbrUl = 2849;
    /// <summary>Extended-GBR-DL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedGbrDl = 2850;
    /// <summary>Extended-GBR-UL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedGbrUl = 2851;
    /// <summary>Max-PLR-DL (Unsigned32, vendor 10415).</summary>
    public const uint MaxPlrDl = 2852;
    /// <summary>Max-PLR-UL (Unsigned32, vendor 10415).</summary>
    public const uint MaxPlrUl = 2853;
    /// <summary>UE-Status (Unsigned32, vendor 10415).</summary>
    public const uint UeStatus = 2854;
    /// <summary>Presence-Reporting-Area-Node (Unsigned32, vendor 10415).</summary>
    public const uint PresenceReportingAreaNode = 2855;

    // 3GPP TS 29.214 (Rx) (vendor 10415, 3GPP)
    /// <summary>Abort-Cause (Enumerated, vendor 10415).</summary>
    public const uint AbortCause = 500;
    /// <summary>Access-Network-Charging-Address (Address, vendor 10415).</summary>
    public const uint AccessNetworkChargingAddress = 501;
    /// <summary>Access-Network-Charging-Identifier (Grouped, vendor 10415).</summary>
    public const uint AccessNetworkChargingIdentifier = 502;
    /// <summary>Access-Network-Charging-Identifier-Value (OctetString, vendor 10415).</summary>
    public const uint AccessNetworkChargingIdentifierValue = 503;
    /// <summary>AF-Application-Identifier (OctetString, vendor 10415).</summary>
    public const uint AfApplicationIdentifier = 504;
    /// <summary>AF-Charging-Identifier (OctetString, vendor 10415).</summary>
    public const uint AfChargingIdentifier = 505;
    /// <summary>Flow-Description (OctetString, vendor 10415).</summary>
    public const uint FlowDescription = 507;
    /// <summary>Flow-Number (Unsigned32, vendor 10415).</summary>
    public const uint FlowNumber = 509;
    /// <summary>Flows (Grouped, vendor 10415).</summary>
    public const uint Flows = 510;
    /// <summary>Flow-Status (Enumerated, vendor 10415).</summary>
    public const uint FlowStatus = 511;
    /// <summary>Flow-Usage (Enumerated, vendor 10415).</summary>
    public const uint FlowUsage = 512;
    /// <summary>Specific-Action (Enumerated, vendor 10415).</summary>
    public const uint SpecificAction = 513;
    /// <summary>Max-Requested-Bandwidth-DL (Unsigned32, vendor 10415).</summary>
    public const uint MaxRequestedBandwidthDl = 515;
    /// <summary>Max-Requested-Bandwidth-UL (Unsigned32, vendor 10415).</summary>
    public const uint MaxRequestedBandwidthUl = 516;
    /// <summary>Media-Component-Description (Grouped, vendor 10415).</summary>
    public const uint MediaComponentDescription = 517;
    /// <summary>Media-Component-Number (Unsigned32, vendor 10415).</summary>
    public const uint MediaComponentNumber = 518;
    /// <summary>Media-Sub-Component (Grouped, vendor 10415).</summary>
    public const uint MediaSubComponent = 519;
    /// <summary>Media-Type (Enumerated, vendor 10415).</summary>
    public const uint MediaType = 520;
    /// <summary>RR-Bandwidth (Unsigned32, vendor 10415).</summary>
    public const uint RrBandwidth = 521;
    /// <summary>RS-Bandwidth (Unsigned32, vendor 10415).</summary>
    public const uint RsBandwidth = 522;
    /// <summary>SIP-Forking-Indication (Enumerated, vendor 10415).</summary>
    public const uint SipForkingIndication = 523;
    /// <summary>Codec-Data (OctetString, vendor 10415).</summary>
    public const uint CodecData = 524;
    /// <summary>Service-URN (OctetString, vendor 10415).</summary>
    public const uint ServiceUrn = 525;
    /// <summary>Acceptable-Service-Info (Grouped, vendor 10415).</summary>
    public const uint AcceptableServiceInfo = 526;
    /// <summary>Service-Info-Status (Enumerated, vendor 10415).</summary>
    public const uint ServiceInfoStatus = 527;
    /// <summary>MPS-Identifier (OctetString, vendor 10415).</summary>
    public const uint MpsIdentifier = 528;
    /// <summary>AF-Signalling-Protocol (Enumerated, vendor 10415).</summary>
    public const uint AfSignallingProtocol = 529;
    /// <summary>Sponsored-Connectivity-Data (Grouped, vendor 10415).</summary>
    public const uint SponsoredConnectivityData = 530;
    /// <summary>Sponsor-Identity (UTF8String, vendor 10415).</summary>
    public const uint SponsorIdentity = 531;
    /// <summary>Application-Service-Provider-Identity (UTF8String, vendor 10415).</summary>
    public const uint ApplicationServiceProviderIdentity = 532;
    /// <summary>Rx-Request-Type (Enumerated, vendor 10415).</summary>
    public const uint RxRequestType = 533;
    /// <summary>Min-Requested-Bandwidth-DL (Unsigned32, vendor 10415).</summary>
    public const uint MinRequestedBandwidthDl = 534;
    /// <summary>Min-Requested-Bandwidth-UL (Unsigned32, vendor 10415).</summary>
    public const uint MinRequestedBandwidthUl = 535;
    /// <summary>Required-Access-Info (Enumerated, vendor 10415).</summary>
    public const uint RequiredAccessInfo = 536;
    /// <summary>IP-Domain-Id (OctetString, vendor 10415).</summary>
    public const uint IpDomainId = 537;
    /// <summary>GCS-Identifier (OctetString, vendor 10415).</summary>
    public const uint GcsIdentifier = 538;
    /// <summary>Sharing-Key-DL (Unsigned32, vendor 10415).</summary>
    public const uint SharingKeyDl = 539;
    /// <summary>Sharing-Key-UL (Unsigned32, vendor 10415).</summary>
    public const uint SharingKeyUl = 540;
    /// <summary>Retry-Interval (Unsigned32, vendor 10415).</summary>
    public const uint RetryInterval = 541;
    /// <summary>Sponsoring-Action (Enumerated, vendor 10415).</summary>
    public const uint SponsoringAction = 542;
    /// <summary>Max-Supported-Bandwidth-DL (Unsigned32, vendor 10415).</summary>
    public const uint MaxSupportedBandwidthDl = 543;
    /// <summary>Max-Supported-Bandwidth-UL (Unsigned32, vendor 10415).</summary>
    public const uint MaxSupportedBandwidthUl = 544;
    /// <summary>Min-Desired-Bandwidth-DL (Unsigned32, vendor 10415).</summary>
    public const uint MinDesiredBandwidthDl = 545;
    /// <summary>Min-Desired-Bandwidth-UL (Unsigned32, vendor 10415).</summary>
    public const uint MinDesiredBandwidthUl = 546;
    /// <summary>MCPTT-Identifier (OctetString, vendor 10415).</summary>
    public const uint McpttIdentifier = 547;
    /// <summary>Service-Authorization-Info (Unsigned32, vendor 10415).</summary>
    public const uint ServiceAuthorizationInfo = 548;
    /// <summary>Media-Component-Status (Unsigned32, vendor 10415).</summary>
    public const uint MediaComponentStatus = 549;
    /// <summary>Priority-Sharing-Indicator (Enumerated, vendor 10415).</summary>
    public const uint PrioritySharingIndicator = 550;
    /// <summary>AF-Requested-Data (Unsigned32, vendor 10415).</summary>
    public const uint AfRequestedData = 551;
    /// <summary>Content-Version (Unsigned64, vendor 10415).</summary>
    public const uint ContentVersion = 552;
    /// <summary>Pre-emption-Control-Info (Unsigned32, vendor 10415).</summary>
    public const uint PreEmptionControlInfo = 553;
    /// <summary>Extended-Max-Requested-BW-DL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMaxRequestedBwDl = 554;
    /// <summary>Extended-Max-Requested-BW-UL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMaxRequestedBwUl = 555;
    /// <summary>Extended-Max-Supported-BW-DL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMaxSupportedBwDl = 556;
    /// <summary>Extended-Max-Supported-BW-UL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMaxSupportedBwUl = 557;
    /// <summary>Extended-Min-Desired-BW-DL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMinDesiredBwDl = 558;
    /// <summary>Extended-Min-Desired-BW-UL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMinDesiredBwUl = 559;
    /// <summary>Extended-Min-Requested-BW-DL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMinRequestedBwDl = 560;
    /// <summary>Extended-Min-Requested-BW-UL (Unsigned32, vendor 10415).</summary>
    public const uint ExtendedMinRequestedBwUl = 561;
    /// <summary>MCVideo-Identifier (OctetString, vendor 10415).</summary>
    public const uint McvideoIdentifier = 562;
    /// <summary>IMS-Content-Identifier (OctetString, vendor 10415).</summary>
    public const uint ImsContentIdentifier = 563;
    /// <summary>IMS-Content-Type (Enumerated, vendor 10415).</summary>
    public const uint ImsContentType = 564;

    // 3GPP TS 29.229 (Cx; Supported-Features and Visited-Network-Identifier only) (vendor 10415, 3GPP)
    /// <summary>Visited-Network-Identifier (OctetString, vendor 10415).</summary>
    public const uint VisitedNetworkIdentifier = 600;
    /// <summary>Supported-Features (Grouped, vendor 10415).</summary>
    public const uint SupportedFeatures = 628;
    /// <summary>Feature-List-ID (Unsigned32, vendor 10415).</summary>
    public const uint FeatureListId = 629;
    /// <summary>Feature-List (Unsigned32, vendor 10415).</summary>
    public const uint FeatureList = 630;

    // 3GPP TS 29.273 (SWx/S6b; AN-Trusted only) (vendor 10415, 3GPP)
    /// <summary>AN-Trusted (Enumerated, vendor 10415).</summary>
    public const uint AnTrusted = 1503;

    // 3GPP TS 29.272 (S6a/S6d) (vendor 10415, 3GPP)
    /// <summary>Subscription-Data (Grouped, vendor 10415).</summary>
    public const uint SubscriptionData = 1400;
    /// <summary>Terminal-Information (Grouped, vendor 10415).</summary>
    public const uint TerminalInformation = 1401;
    /// <summary>IMEI (UTF8String, vendor 10415).</summary>
    public const uint Imei = 1402;
    /// <summary>Software-Version (UTF8String, vendor 10415).</summary>
    public const uint SoftwareVersion = 1403;
    /// <summary>QoS-Subscribed (OctetString, vendor 10415).</summary>
    public const uint QosSubscribed = 1404;
    /// <summary>ULR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint UlrFlags = 1405;
    /// <summary>ULA-Flags (Unsigned32, vendor 10415).</summary>
    public const uint UlaFlags = 1406;
    /// <summary>Visited-PLMN-Id (OctetString, vendor 10415).</summary>
    public const uint VisitedPlmnId = 1407;
    /// <summary>Requested-EUTRAN-Authentication-Info (Grouped, vendor 10415).</summary>
    public const uint RequestedEutranAuthenticationInfo = 1408;
    /// <summary>Requested-UTRAN-GERAN-Authentication-Info (Grouped, vendor 10415).</summary>
    public const uint RequestedUtranGeranAuthenticationInfo = 1409;
    /// <summary>Number-Of-Requested-Vectors (Unsigned32, vendor 10415).</summary>
    public const uint NumberOfRequestedVectors = 1410;
    /// <summary>Re-Synchronization-Info (OctetString, vendor 10415).</summary>
    public const uint ReSynchronizationInfo = 1411;
    /// <summary>Immediate-Response-Preferred (Unsigned32, vendor 10415).</summary>
    public const uint ImmediateResponsePreferred = 1412;
    /// <summary>Authentication-Info (Grouped, vendor 10415).</summary>
    public const uint AuthenticationInfo = 1413;
    /// <summary>E-UTRAN-Vector (Grouped, vendor 10415).</summary>
    public const uint EUtranVector = 1414;
    /// <summary>UTRAN-Vector (Grouped, vendor 10415).</summary>
    public const uint UtranVector = 1415;
    /// <summary>GERAN-Vector (Grouped, vendor 10415).</summary>
    public const uint GeranVector = 1416;
    /// <summary>Network-Access-Mode (Enumerated, vendor 10415).</summary>
    public const uint NetworkAccessMode = 1417;
    /// <summary>HPLMN-ODB (Unsigned32, vendor 10415).</summary>
    public const uint HplmnOdb = 1418;
    /// <summary>Item-Number (Unsigned32, vendor 10415).</summary>
    public const uint ItemNumber = 1419;
    /// <summary>Cancellation-Type (Enumerated, vendor 10415).</summary>
    public const uint CancellationType = 1420;
    /// <summary>DSR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint DsrFlags = 1421;
    /// <summary>DSA-Flags (Unsigned32, vendor 10415).</summary>
    public const uint DsaFlags = 1422;
    /// <summary>Context-Identifier (Unsigned32, vendor 10415).</summary>
    public const uint ContextIdentifier = 1423;
    /// <summary>Subscriber-Status (Enumerated, vendor 10415).</summary>
    public const uint SubscriberStatus = 1424;
    /// <summary>Operator-Determined-Barring (Unsigned32, vendor 10415).</summary>
    public const uint OperatorDeterminedBarring = 1425;
    /// <summary>Access-Restriction-Data (Unsigned32, vendor 10415).</summary>
    public const uint AccessRestrictionData = 1426;
    /// <summary>APN-OI-Replacement (UTF8String, vendor 10415).</summary>
    public const uint ApnOiReplacement = 1427;
    /// <summary>All-APN-Configurations-Included-Indicator (Enumerated, vendor 10415).</summary>
    public const uint AllApnConfigurationsIncludedIndicator = 1428;
    /// <summary>APN-Configuration-Profile (Grouped, vendor 10415).</summary>
    public const uint ApnConfigurationProfile = 1429;
    /// <summary>APN-Configuration (Grouped, vendor 10415).</summary>
    public const uint ApnConfiguration = 1430;
    /// <summary>EPS-Subscribed-QoS-Profile (Grouped, vendor 10415).</summary>
    public const uint EpsSubscribedQosProfile = 1431;
    /// <summary>VPLMN-Dynamic-Address-Allowed (Enumerated, vendor 10415).</summary>
    public const uint VplmnDynamicAddressAllowed = 1432;
    /// <summary>STN-SR (OctetString, vendor 10415).</summary>
    public const uint StnSr = 1433;
    /// <summary>Alert-Reason (Enumerated, vendor 10415).</summary>
    public const uint AlertReason = 1434;
    /// <summary>AMBR (Grouped, vendor 10415).</summary>
    public const uint Ambr = 1435;
    /// <summary>CSG-Subscription-Data (Grouped, vendor 10415).</summary>
    public const uint CsgSubscriptionData = 1436;
    /// <summary>CSG-Id (Unsigned32, vendor 10415).</summary>
    public const uint CsgId = 1437;
    /// <summary>PDN-GW-Allocation-Type (Enumerated, vendor 10415).</summary>
    public const uint PdnGwAllocationType = 1438;
    /// <summary>Expiration-Date (Time, vendor 10415).</summary>
    public const uint ExpirationDate = 1439;
    /// <summary>RAT-Frequency-Selection-Priority-ID (Unsigned32, vendor 10415).</summary>
    public const uint RatFrequencySelectionPriorityId = 1440;
    /// <summary>IDA-Flags (Unsigned32, vendor 10415).</summary>
    public const uint IdaFlags = 1441;
    /// <summary>PUA-Flags (Unsigned32, vendor 10415).</summary>
    public const uint PuaFlags = 1442;
    /// <summary>NOR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint NorFlags = 1443;
    /// <summary>User-Id (UTF8String, vendor 10415).</summary>
    public const uint UserId = 1444;
    /// <summary>Equipment-Status (Enumerated, vendor 10415).</summary>
    public const uint EquipmentStatus = 1445;
    /// <summary>Regional-Subscription-Zone-Code (OctetString, vendor 10415).</summary>
    public const uint RegionalSubscriptionZoneCode = 1446;
    /// <summary>RAND (OctetString, vendor 10415).</summary>
    public const uint Rand = 1447;
    /// <summary>XRES (OctetString, vendor 10415).</summary>
    public const uint Xres = 1448;
    /// <summary>AUTN (OctetString, vendor 10415).</summary>
    public const uint Autn = 1449;
    /// <summary>KASME (OctetString, vendor 10415).</summary>
    public const uint Kasme = 1450;
    /// <summary>Trace-Collection-Entity (Address, vendor 10415).</summary>
    public const uint TraceCollectionEntity = 1452;
    /// <summary>Kc (OctetString, vendor 10415).</summary>
    public const uint Kc = 1453;
    /// <summary>SRES (OctetString, vendor 10415).</summary>
    public const uint Sres = 1454;
    /// <summary>PDN-Type (Enumerated, vendor 10415).</summary>
    public const uint PdnType = 1456;
    /// <summary>Roaming-Restricted-Due-To-Unsupported-Feature (Enumerated, vendor 10415).</summary>
    public const uint RoamingRestrictedDueToUnsupportedFeature = 1457;
    /// <summary>Trace-Data (Grouped, vendor 10415).</summary>
    public const uint TraceData = 1458;
    /// <summary>Trace-Reference (OctetString, vendor 10415).</summary>
    public const uint TraceReference = 1459;
    /// <summary>Trace-Depth (Enumerated, vendor 10415).</summary>
    public const uint TraceDepth = 1462;
    /// <summary>Trace-NE-Type-List (OctetString, vendor 10415).</summary>
    public const uint TraceNeTypeList = 1463;
    /// <summary>Trace-Interface-List (OctetString, vendor 10415).</summary>
    public const uint TraceInterfaceList = 1464;
    /// <summary>Trace-Event-List (OctetString, vendor 10415).</summary>
    public const uint TraceEventList = 1465;
    /// <summary>OMC-Id (OctetString, vendor 10415).</summary>
    public const uint OmcId = 1466;
    /// <summary>GPRS-Subscription-Data (Grouped, vendor 10415).</summary>
    public const uint GprsSubscriptionData = 1467;
    /// <summary>Complete-Data-List-Included-Indicator (Enumerated, vendor 10415).</summary>
    public const uint CompleteDataListIncludedIndicator = 1468;
    /// <summary>PDP-Context (Grouped, vendor 10415).</summary>
    public const uint PdpContext = 1469;
    /// <summary>PDP-Type (OctetString, vendor 10415).</summary>
    public const uint PdpType = 1470;
    /// <summary>3GPP2-MEID (OctetString, vendor 10415).</summary>
    public const uint ThreeGpp2Meid = 1471;
    /// <summary>Specific-APN-Info (Grouped, vendor 10415).</summary>
    public const uint SpecificApnInfo = 1472;
    /// <summary>LCS-Info (Grouped, vendor 10415).</summary>
    public const uint LcsInfo = 1473;
    /// <summary>GMLC-Number (OctetString, vendor 10415).</summary>
    public const uint GmlcNumber = 1474;
    /// <summary>LCS-PrivacyException (Grouped, vendor 10415).</summary>
    public const uint LcsPrivacyexception = 1475;
    /// <summary>SS-Code (OctetString, vendor 10415).</summary>
    public const uint SsCode = 1476;
    /// <summary>SS-Status (OctetString, vendor 10415).</summary>
    public const uint SsStatus = 1477;
    /// <summary>Notification-To-UE-User (Enumerated, vendor 10415).</summary>
    public const uint NotificationToUeUser = 1478;
    /// <summary>External-Client (Grouped, vendor 10415).</summary>
    public const uint ExternalClient = 1479;
    /// <summary>Client-Identity (OctetString, vendor 10415).</summary>
    public const uint ClientIdentity = 1480;
    /// <summary>GMLC-Restriction (Enumerated, vendor 10415).</summary>
    public const uint GmlcRestriction = 1481;
    /// <summary>PLMN-Client (Enumerated, vendor 10415).</summary>
    public const uint PlmnClient = 1482;
    /// <summary>Service-Type of TS 29.272 (Grouped, vendor 10415; LCS), not NASREQ's <see cref="ServiceType"/> 6.</summary>
    public const uint ServiceTypeS6a = 1483;
    /// <summary>ServiceTypeIdentity (Unsigned32, vendor 10415).</summary>
    public const uint Servicetypeidentity = 1484;
    /// <summary>MO-LR (Grouped, vendor 10415).</summary>
    public const uint MoLr = 1485;
    /// <summary>Teleservice-List (Grouped, vendor 10415).</summary>
    public const uint TeleserviceList = 1486;
    /// <summary>TS-Code (OctetString, vendor 10415).</summary>
    public const uint TsCode = 1487;
    /// <summary>Call-Barring-Info (Grouped, vendor 10415).</summary>
    public const uint CallBarringInfo = 1488;
    /// <summary>SGSN-Number (OctetString, vendor 10415).</summary>
    public const uint SgsnNumber = 1489;
    /// <summary>IDR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint IdrFlags = 1490;
    /// <summary>ICS-Indicator (Enumerated, vendor 10415).</summary>
    public const uint IcsIndicator = 1491;
    /// <summary>IMS-Voice-Over-PS-Sessions-Supported (Enumerated, vendor 10415).</summary>
    public const uint ImsVoiceOverPsSessionsSupported = 1492;
    /// <summary>Homogeneous-Support-of-IMS-Voice-Over-PS-Sessions (Enumerated, vendor 10415).</summary>
    public const uint HomogeneousSupportOfImsVoiceOverPsSessions = 1493;
    /// <summary>Last-UE-Activity-Time (Time, vendor 10415).</summary>
    public const uint LastUeActivityTime = 1494;
    /// <summary>EPS-User-State (Grouped, vendor 10415).</summary>
    public const uint EpsUserState = 1495;
    /// <summary>EPS-Location-Information (Grouped, vendor 10415).</summary>
    public const uint EpsLocationInformation = 1496;
    /// <summary>MME-User-State (Grouped, vendor 10415).</summary>
    public const uint MmeUserState = 1497;
    /// <summary>SGSN-User-State (Grouped, vendor 10415).</summary>
    public const uint SgsnUserState = 1498;
    /// <summary>User-State (Enumerated, vendor 10415).</summary>
    public const uint UserState = 1499;
    /// <summary>MME-Location-Information (Grouped, vendor 10415).</summary>
    public const uint MmeLocationInformation = 1600;
    /// <summary>SGSN-Location-Information (Grouped, vendor 10415).</summary>
    public const uint SgsnLocationInformation = 1601;
    /// <summary>E-UTRAN-Cell-Global-Identity (OctetString, vendor 10415).</summary>
    public const uint EUtranCellGlobalIdentity = 1602;
    /// <summary>Tracking-Area-Identity (OctetString, vendor 10415).</summary>
    public const uint TrackingAreaIdentity = 1603;
    /// <summary>Cell-Global-Identity (OctetString, vendor 10415).</summary>
    public const uint CellGlobalIdentity = 1604;
    /// <summary>Routing-Area-Identity (OctetString, vendor 10415).</summary>
    public const uint RoutingAreaIdentity = 1605;
    /// <summary>Location-Area-Identity (OctetString, vendor 10415).</summary>
    public const uint LocationAreaIdentity = 1606;
    /// <summary>Service-Area-Identity (OctetString, vendor 10415).</summary>
    public const uint ServiceAreaIdentity = 1607;
    /// <summary>Geographical-Information (OctetString, vendor 10415).</summary>
    public const uint GeographicalInformation = 1608;
    /// <summary>Geodetic-Information (OctetString, vendor 10415).</summary>
    public const uint GeodeticInformation = 1609;
    /// <summary>Current-Location-Retrieved (Enumerated, vendor 10415).</summary>
    public const uint CurrentLocationRetrieved = 1610;
    /// <summary>Age-Of-Location-Information (Unsigned32, vendor 10415).</summary>
    public const uint AgeOfLocationInformation = 1611;
    /// <summary>Active-APN (Grouped, vendor 10415).</summary>
    public const uint ActiveApn = 1612;
    /// <summary>SIPTO-Permission (Enumerated, vendor 10415).</summary>
    public const uint SiptoPermission = 1613;
    /// <summary>Error-Diagnostic (Enumerated, vendor 10415).</summary>
    public const uint ErrorDiagnostic = 1614;
    /// <summary>UE-SRVCC-Capability (Enumerated, vendor 10415).</summary>
    public const uint UeSrvccCapability = 1615;
    /// <summary>MPS-Priority (Unsigned32, vendor 10415).</summary>
    public const uint MpsPriority = 1616;
    /// <summary>VPLMN-LIPA-Allowed (Enumerated, vendor 10415).</summary>
    public const uint VplmnLipaAllowed = 1617;
    /// <summary>LIPA-Permission (Enumerated, vendor 10415).</summary>
    public const uint LipaPermission = 1618;
    /// <summary>Subscribed-Periodic-RAU-TAU-Timer (Unsigned32, vendor 10415).</summary>
    public const uint SubscribedPeriodicRauTauTimer = 1619;
    /// <summary>Ext-PDP-Type (OctetString, vendor 10415).</summary>
    public const uint ExtPdpType = 1620;
    /// <summary>Ext-PDP-Address (Address, vendor 10415).</summary>
    public const uint ExtPdpAddress = 1621;
    /// <summary>MDT-Configuration (Grouped, vendor 10415).</summary>
    public const uint MdtConfiguration = 1622;
    /// <summary>Job-Type (Enumerated, vendor 10415).</summary>
    public const uint JobType = 1623;
    /// <summary>Area-Scope (Grouped, vendor 10415).</summary>
    public const uint AreaScope = 1624;
    /// <summary>List-Of-Measurements (Unsigned32, vendor 10415).</summary>
    public const uint ListOfMeasurements = 1625;
    /// <summary>Reporting-Trigger (Unsigned32, vendor 10415).</summary>
    public const uint ReportingTrigger = 1626;
    /// <summary>Report-Interval (Enumerated, vendor 10415).</summary>
    public const uint ReportInterval = 1627;
    /// <summary>Report-Amount (Enumerated, vendor 10415).</summary>
    public const uint ReportAmount = 1628;
    /// <summary>Event-Threshold-RSRP (Unsigned32, vendor 10415).</summary>
    public const uint EventThresholdRsrp = 1629;
    /// <summary>Event-Threshold-RSRQ (Unsigned32, vendor 10415).</summary>
    public const uint EventThresholdRsrq = 1630;
    /// <summary>Logging-Interval (Enumerated, vendor 10415).</summary>
    public const uint LoggingInterval = 1631;
    /// <summary>Logging-Duration (Enumerated, vendor 10415).</summary>
    public const uint LoggingDuration = 1632;
    /// <summary>Relay-Node-Indicator (Enumerated, vendor 10415).</summary>
    public const uint RelayNodeIndicator = 1633;
    /// <summary>MDT-User-Consent (Enumerated, vendor 10415).</summary>
    public const uint MdtUserConsent = 1634;
    /// <summary>PUR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint PurFlags = 1635;
    /// <summary>Subscribed-VSRVCC (Enumerated, vendor 10415).</summary>
    public const uint SubscribedVsrvcc = 1636;
    /// <summary>Equivalent-PLMN-List (Grouped, vendor 10415).</summary>
    public const uint EquivalentPlmnList = 1637;
    /// <summary>CLR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint ClrFlags = 1638;
    /// <summary>UVR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint UvrFlags = 1639;
    /// <summary>UVA-Flags (Unsigned32, vendor 10415).</summary>
    public const uint UvaFlags = 1640;
    /// <summary>VPLMN-CSG-Subscription-Data (Grouped, vendor 10415).</summary>
    public const uint VplmnCsgSubscriptionData = 1641;
    /// <summary>Time-Zone (UTF8String, vendor 10415).</summary>
    public const uint TimeZone = 1642;
    /// <summary>A-MSISDN (OctetString, vendor 10415).</summary>
    public const uint AMsisdn = 1643;
    /// <summary>MME-Number-for-MT-SMS (OctetString, vendor 10415).</summary>
    public const uint MmeNumberForMtSms = 1645;
    /// <summary>SMS-Register-Request (Enumerated, vendor 10415).</summary>
    public const uint SmsRegisterRequest = 1648;
    /// <summary>Local-Time-Zone (Grouped, vendor 10415).</summary>
    public const uint LocalTimeZone = 1649;
    /// <summary>Daylight-Saving-Time (Enumerated, vendor 10415).</summary>
    public const uint DaylightSavingTime = 1650;
    /// <summary>Subscription-Data-Flags (Unsigned32, vendor 10415).</summary>
    public const uint SubscriptionDataFlags = 1654;
    /// <summary>Measurement-Period-LTE (Enumerated, vendor 10415).</summary>
    public const uint MeasurementPeriodLte = 1655;
    /// <summary>Measurement-Period-UMTS (Enumerated, vendor 10415).</summary>
    public const uint MeasurementPeriodUmts = 1656;
    /// <summary>Collection-Period-RRM-LTE (Enumerated, vendor 10415).</summary>
    public const uint CollectionPeriodRrmLte = 1657;
    /// <summary>Collection-Period-RRM-UMTS (Enumerated, vendor 10415).</summary>
    public const uint CollectionPeriodRrmUmts = 1658;
    /// <summary>Positioning-Method (OctetString, vendor 10415).</summary>
    public const uint PositioningMethod = 1659;
    /// <summary>Measurement-Quantity (OctetString, vendor 10415).</summary>
    public const uint MeasurementQuantity = 1660;
    /// <summary>Event-Threshold-Event-1F (Integer32, vendor 10415).</summary>
    public const uint EventThresholdEvent1f = 1661;
    /// <summary>Event-Threshold-Event-1I (Integer32, vendor 10415).</summary>
    public const uint EventThresholdEvent1i = 1662;
    /// <summary>Restoration-Priority (Unsigned32, vendor 10415).</summary>
    public const uint RestorationPriority = 1663;
    /// <summary>SGs-MME-Identity (UTF8String, vendor 10415).</summary>
    public const uint SgsMmeIdentity = 1664;
    /// <summary>SIPTO-Local-Network-Permission (Unsigned32, vendor 10415).</summary>
    public const uint SiptoLocalNetworkPermission = 1665;
    /// <summary>Coupled-Node-Diameter-ID (DiameterIdentity, vendor 10415).</summary>
    public const uint CoupledNodeDiameterId = 1666;
    /// <summary>WLAN-offloadability (Grouped, vendor 10415).</summary>
    public const uint WlanOffloadability = 1667;
    /// <summary>WLAN-offloadability-EUTRAN (Unsigned32, vendor 10415).</summary>
    public const uint WlanOffloadabilityEutran = 1668;
    /// <summary>WLAN-offloadability-UTRAN (Unsigned32, vendor 10415).</summary>
    public const uint WlanOffloadabilityUtran = 1669;
    /// <summary>Reset-ID (OctetString, vendor 10415).</summary>
    public const uint ResetId = 1670;
    /// <summary>MDT-Allowed-PLMN-Id (OctetString, vendor 10415).</summary>
    public const uint MdtAllowedPlmnId = 1671;
    /// <summary>Adjacent-PLMNs (Grouped, vendor 10415).</summary>
    public const uint AdjacentPlmns = 1672;
    /// <summary>Adjacent-Access-Restriction-Data (Grouped, vendor 10415).</summary>
    public const uint AdjacentAccessRestrictionData = 1673;
    /// <summary>DL-Buffering-Suggested-Packet-Count (Integer32, vendor 10415).</summary>
    public const uint DlBufferingSuggestedPacketCount = 1674;
    /// <summary>IMSI-Group-Id (Grouped, vendor 10415).</summary>
    public const uint ImsiGroupId = 1675;
    /// <summary>Group-Service-Id (Unsigned32, vendor 10415).</summary>
    public const uint GroupServiceId = 1676;
    /// <summary>Group-PLMN-Id (OctetString, vendor 10415).</summary>
    public const uint GroupPlmnId = 1677;
    /// <summary>Local-Group-Id (OctetString, vendor 10415).</summary>
    public const uint LocalGroupId = 1678;
    /// <summary>AIR-Flags (Unsigned32, vendor 10415).</summary>
    public const uint AirFlags = 1679;
    /// <summary>UE-Usage-Type (Unsigned32, vendor 10415).</summary>
    public const uint UeUsageType = 1680;
    /// <summary>Non-IP-PDN-Type-Indicator (Enumerated, vendor 10415).</summary>
    public const uint NonIpPdnTypeIndicator = 1681;
    /// <summary>Non-IP-Data-Delivery-Mechanism (Unsigned32, vendor 10415).</summary>
    public const uint NonIpDataDeliveryMechanism = 1682;
    /// <summary>Additional-Context-Identifier (Unsigned32, vendor 10415).</summary>
    public const uint AdditionalContextIdentifier = 1683;
    /// <summary>SCEF-Realm (DiameterIdentity, vendor 10415).</summary>
    public const uint ScefRealm = 1684;
    /// <summary>Subscription-Data-Deletion (Grouped, vendor 10415).</summary>
    public const uint SubscriptionDataDeletion = 1685;
    /// <summary>Preferred-Data-Mode (Unsigned32, vendor 10415).</summary>
    public const uint PreferredDataMode = 1686;
    /// <summary>Emergency-Info (Grouped, vendor 10415).</summary>
    public const uint EmergencyInfo = 1687;
    /// <summary>V2X-Subscription-Data (Grouped, vendor 10415).</summary>
    public const uint V2xSubscriptionData = 1688;
    /// <summary>V2X-Permission (Unsigned32, vendor 10415).</summary>
    public const uint V2xPermission = 1689;
    /// <summary>PDN-Connection-Continuity (Unsigned32, vendor 10415).</summary>
    public const uint PdnConnectionContinuity = 1690;
    /// <summary>eDRX-Cycle-Length (Grouped, vendor 10415).</summary>
    public const uint EdrxCycleLength = 1691;
    /// <summary>eDRX-Cycle-Length-Value (OctetString, vendor 10415).</summary>
    public const uint EdrxCycleLengthValue = 1692;
    /// <summary>UE-PC5-AMBR (Unsigned32, vendor 10415).</summary>
    public const uint UePc5Ambr = 1693;
    /// <summary>MBSFN-Area (Grouped, vendor 10415).</summary>
    public const uint MbsfnArea = 1694;
    /// <summary>MBSFN-Area-ID (Unsigned32, vendor 10415).</summary>
    public const uint MbsfnAreaId = 1695;
    /// <summary>Carrier-Frequency (Unsigned32, vendor 10415).</summary>
    public const uint CarrierFrequency = 1696;
    /// <summary>RDS-Indicator (Enumerated, vendor 10415).</summary>
    public const uint RdsIndicator = 1697;
    /// <summary>Service-Gap-Time (Unsigned32, vendor 10415).</summary>
    public const uint ServiceGapTime = 1698;
    /// <summary>Aerial-UE-Subscription-Information (Unsigned32, vendor 10415).</summary>
    public const uint AerialUeSubscriptionInformation = 1699;
    /// <summary>Broadcast-Location-Assistance-Data-Types (Unsigned64, vendor 10415).</summary>
    public const uint BroadcastLocationAssistanceDataTypes = 1700;
    /// <summary>Paging-Time-Window (Grouped, vendor 10415).</summary>
    public const uint PagingTimeWindow = 1701;
    /// <summary>Operation-Mode (Unsigned32, vendor 10415).</summary>
    public const uint OperationMode = 1702;
    /// <summary>Paging-Time-Window-Length (OctetString, vendor 10415).</summary>
    public const uint PagingTimeWindowLength = 1703;
    /// <summary>Core-Network-Restrictions (Unsigned32, vendor 10415).</summary>
    public const uint CoreNetworkRestrictions = 1704;
    /// <summary>eDRX-Related-RAT (Grouped, vendor 10415).</summary>
    public const uint EdrxRelatedRat = 1705;
    /// <summary>Interworking-5GS-Indicator (Enumerated, vendor 10415).</summary>
    public const uint Interworking5gsIndicator = 1706;

    // 3GPP TS 32.299 (Diameter charging applications, Gy/Ro) (vendor 10415, 3GPP)
    /// <summary>Event-Type (Grouped, vendor 10415).</summary>
    public const uint EventType = 823;
    /// <summary>SIP-Method (UTF8String, vendor 10415).</summary>
    public const uint SipMethod = 824;
    /// <summary>Event (UTF8String, vendor 10415).</summary>
    public const uint Event = 825;
    /// <summary>Content-Type (UTF8String, vendor 10415).</summary>
    public const uint ContentType = 826;
    /// <summary>Content-Length (Unsigned32, vendor 10415).</summary>
    public const uint ContentLength = 827;
    /// <summary>Content-Disposition (UTF8String, vendor 10415).</summary>
    public const uint ContentDisposition = 828;
    /// <summary>Role-Of-Node (Enumerated, vendor 10415).</summary>
    public const uint RoleOfNode = 829;
    /// <summary>User-Session-Id (UTF8String, vendor 10415).</summary>
    public const uint UserSessionId = 830;
    /// <summary>Calling-Party-Address (UTF8String, vendor 10415).</summary>
    public const uint CallingPartyAddress = 831;
    /// <summary>Called-Party-Address (UTF8String, vendor 10415).</summary>
    public const uint CalledPartyAddress = 832;
    /// <summary>Time-Stamps (Grouped, vendor 10415).</summary>
    public const uint TimeStamps = 833;
    /// <summary>SIP-Request-Timestamp (Time, vendor 10415).</summary>
    public const uint SipRequestTimestamp = 834;
    /// <summary>SIP-Response-Timestamp (Time, vendor 10415).</summary>
    public const uint SipResponseTimestamp = 835;
    /// <summary>Application-Server (UTF8String, vendor 10415).</summary>
    public const uint ApplicationServer = 836;
    /// <summary>Application-Provided-Called-Party-Address (UTF8String, vendor 10415).</summary>
    public const uint ApplicationProvidedCalledPartyAddress = 837;
    /// <summary>Inter-Operator-Identifier (Grouped, vendor 10415).</summary>
    public const uint InterOperatorIdentifier = 838;
    /// <summary>Originating-IOI (UTF8String, vendor 10415).</summary>
    public const uint OriginatingIoi = 839;
    /// <summary>Terminating-IOI (UTF8String, vendor 10415).</summary>
    public const uint TerminatingIoi = 840;
    /// <summary>IMS-Charging-Identifier (UTF8String, vendor 10415).</summary>
    public const uint ImsChargingIdentifier = 841;
    /// <summary>SDP-Session-Description (UTF8String, vendor 10415).</summary>
    public const uint SdpSessionDescription = 842;
    /// <summary>SDP-Media-Component (Grouped, vendor 10415).</summary>
    public const uint SdpMediaComponent = 843;
    /// <summary>SDP-Media-Name (UTF8String, vendor 10415).</summary>
    public const uint SdpMediaName = 844;
    /// <summary>SDP-Media-Description (UTF8String, vendor 10415).</summary>
    public const uint SdpMediaDescription = 845;
    /// <summary>CG-Address (Address, vendor 10415).</summary>
    public const uint CgAddress = 846;
    /// <summary>GGSN-Address (Address, vendor 10415).</summary>
    public const uint GgsnAddress = 847;
    /// <summary>Served-Party-IP-Address (Address, vendor 10415).</summary>
    public const uint ServedPartyIpAddress = 848;
    /// <summary>Authorised-QoS (UTF8String, vendor 10415).</summary>
    public const uint AuthorisedQos = 849;
    /// <summary>Application-Server-Information (Grouped, vendor 10415).</summary>
    public const uint ApplicationServerInformation = 850;
    /// <summary>Trunk-Group-Id (Grouped, vendor 10415).</summary>
    public const uint TrunkGroupId = 851;
    /// <summary>Incoming-Trunk-Group-Id (UTF8String, vendor 10415).</summary>
    public const uint IncomingTrunkGroupId = 852;
    /// <summary>Outgoing-Trunk-Group-Id (UTF8String, vendor 10415).</summary>
    public const uint OutgoingTrunkGroupId = 853;
    /// <summary>Bearer-Service (OctetString, vendor 10415).</summary>
    public const uint BearerService = 854;
    /// <summary>Service-Id (UTF8String, vendor 10415).</summary>
    public const uint ServiceId = 855;
    /// <summary>Associated-URI (UTF8String, vendor 10415).</summary>
    public const uint AssociatedUri = 856;
    /// <summary>Charged-Party (UTF8String, vendor 10415).</summary>
    public const uint ChargedParty = 857;
    /// <summary>PoC-Controlling-Address (UTF8String, vendor 10415).</summary>
    public const uint PocControllingAddress = 858;
    /// <summary>PoC-Group-Name (UTF8String, vendor 10415).</summary>
    public const uint PocGroupName = 859;
    /// <summary>Cause-Code (Integer32, vendor 10415).</summary>
    public const uint CauseCode = 861;
    /// <summary>Node-Functionality (Enumerated, vendor 10415).</summary>
    public const uint NodeFunctionality = 862;
    /// <summary>Service-Specific-Data (UTF8String, vendor 10415).</summary>
    public const uint ServiceSpecificData = 863;
    /// <summary>Originator (Enumerated, vendor 10415).</summary>
    public const uint Originator = 864;
    /// <summary>PS-Furnish-Charging-Information (Grouped, vendor 10415).</summary>
    public const uint PsFurnishChargingInformation = 865;
    /// <summary>PS-Free-Format-Data (OctetString, vendor 10415).</summary>
    public const uint PsFreeFormatData = 866;
    /// <summary>PS-Append-Free-Format-Data (Enumerated, vendor 10415).</summary>
    public const uint PsAppendFreeFormatData = 867;
    /// <summary>Time-Quota-Threshold (Unsigned32, vendor 10415).</summary>
    public const uint TimeQuotaThreshold = 868;
    /// <summary>Volume-Quota-Threshold (Unsigned32, vendor 10415).</summary>
    public const uint VolumeQuotaThreshold = 869;
    /// <summary>Trigger-Type (Enumerated, vendor 10415).</summary>
    public const uint TriggerType = 870;
    /// <summary>Quota-Holding-Time (Unsigned32, vendor 10415).</summary>
    public const uint QuotaHoldingTime = 871;
    /// <summary>Reporting-Reason (Enumerated, vendor 10415).</summary>
    public const uint ReportingReason = 872;
    /// <summary>Service-Information (Grouped, vendor 10415).</summary>
    public const uint ServiceInformation = 873;
    /// <summary>PS-Information (Grouped, vendor 10415).</summary>
    public const uint PsInformation = 874;
    /// <summary>IMS-Information (Grouped, vendor 10415).</summary>
    public const uint ImsInformation = 876;
    /// <summary>MMS-Information (Grouped, vendor 10415).</summary>
    public const uint MmsInformation = 877;
    /// <summary>LCS-Information (Grouped, vendor 10415).</summary>
    public const uint LcsInformation = 878;
    /// <summary>PoC-Information (Grouped, vendor 10415).</summary>
    public const uint PocInformation = 879;
    /// <summary>MBMS-Information (Grouped, vendor 10415).</summary>
    public const uint MbmsInformation = 880;
    /// <summary>Quota-Consumption-Time (Unsigned32, vendor 10415).</summary>
    public const uint QuotaConsumptionTime = 881;
    /// <summary>Media-Initiator-Flag (Enumerated, vendor 10415).</summary>
    public const uint MediaInitiatorFlag = 882;
    /// <summary>PoC-Server-Role (Enumerated, vendor 10415).</summary>
    public const uint PocServerRole = 883;
    /// <summary>PoC-Session-Type (Enumerated, vendor 10415).</summary>
    public const uint PocSessionType = 884;
    /// <summary>Number-Of-Participants (Unsigned32, vendor 10415).</summary>
    public const uint NumberOfParticipants = 885;
    /// <summary>Originator-Address (Grouped, vendor 10415).</summary>
    public const uint OriginatorAddress = 886;
    /// <summary>Participants-Involved (UTF8String, vendor 10415).</summary>
    public const uint ParticipantsInvolved = 887;
    /// <summary>Expires (Unsigned32, vendor 10415).</summary>
    public const uint Expires = 888;
    /// <summary>Message-Body (Grouped, vendor 10415).</summary>
    public const uint MessageBody = 889;
    /// <summary>Address-Data (UTF8String, vendor 10415).</summary>
    public const uint AddressData = 897;
    /// <summary>Address-Domain (Grouped, vendor 10415).</summary>
    public const uint AddressDomain = 898;
    /// <summary>Address-Type (Enumerated, vendor 10415).</summary>
    public const uint AddressType = 899;
    /// <summary>Domain-Name (UTF8String, vendor 10415).</summary>
    public const uint DomainName = 1200;
    /// <summary>Recipient-Address (Grouped, vendor 10415).</summary>
    public const uint RecipientAddress = 1201;
    /// <summary>Submission-Time (Time, vendor 10415).</summary>
    public const uint SubmissionTime = 1202;
    /// <summary>MM-Content-Type (Grouped, vendor 10415).</summary>
    public const uint MmContentType = 1203;
    /// <summary>Type-Number (Enumerated, vendor 10415).</summary>
    public const uint TypeNumber = 1204;
    /// <summary>Additional-Type-Information (UTF8String, vendor 10415).</summary>
    public const uint AdditionalTypeInformation = 1205;
    /// <summary>Content-Size (Unsigned32, vendor 10415).</summary>
    public const uint ContentSize = 1206;
    /// <summary>Additional-Content-Information (Grouped, vendor 10415).</summary>
    public const uint AdditionalContentInformation = 1207;
    /// <summary>Addressee-Type (Enumerated, vendor 10415).</summary>
    public const uint AddresseeType = 1208;
    /// <summary>Priority (Enumerated, vendor 10415).</summary>
    public const uint Priority = 1209;
    /// <summary>Message-ID (UTF8String, vendor 10415).</summary>
    public const uint MessageId = 1210;
    /// <summary>Message-Type (Enumerated, vendor 10415).</summary>
    public const uint MessageType = 1211;
    /// <summary>Message-Size (Unsigned32, vendor 10415).</summary>
    public const uint MessageSize = 1212;
    /// <summary>Message-Class (Grouped, vendor 10415).</summary>
    public const uint MessageClass = 1213;
    /// <summary>Class-Identifier (Enumerated, vendor 10415).</summary>
    public const uint ClassIdentifier = 1214;
    /// <summary>Token-Text (UTF8String, vendor 10415).</summary>
    public const uint TokenText = 1215;
    /// <summary>Delivery-Report-Requested (Enumerated, vendor 10415).</summary>
    public const uint DeliveryReportRequested = 1216;
    /// <summary>Adaptations (Enumerated, vendor 10415).</summary>
    public const uint Adaptations = 1217;
    /// <summary>Applic-ID (UTF8String, vendor 10415).</summary>
    public const uint ApplicId = 1218;
    /// <summary>Aux-Applic-Info (UTF8String, vendor 10415).</summary>
    public const uint AuxApplicInfo = 1219;
    /// <summary>Content-Class (Enumerated, vendor 10415).</summary>
    public const uint ContentClass = 1220;
    /// <summary>DRM-Content (Enumerated, vendor 10415).</summary>
    public const uint DrmContent = 1221;
    /// <summary>Read-Reply-Report-Requested (Enumerated, vendor 10415).</summary>
    public const uint ReadReplyReportRequested = 1222;
    /// <summary>Reply-Applic-ID (UTF8String, vendor 10415).</summary>
    public const uint ReplyApplicId = 1223;
    /// <summary>File-Repair-Supported (Enumerated, vendor 10415).</summary>
    public const uint FileRepairSupported = 1224;
    /// <summary>MBMS-User-Service-Type (Enumerated, vendor 10415).</summary>
    public const uint MbmsUserServiceType = 1225;
    /// <summary>Unit-Quota-Threshold (Unsigned32, vendor 10415).</summary>
    public const uint UnitQuotaThreshold = 1226;
    /// <summary>PDP-Address (Address, vendor 10415).</summary>
    public const uint PdpAddress = 1227;
    /// <summary>SGSN-Address (Address, vendor 10415).</summary>
    public const uint SgsnAddress = 1228;
    /// <summary>PoC-Session-Id (UTF8String, vendor 10415).</summary>
    public const uint PocSessionId = 1229;
    /// <summary>Deferred-Location-Event-Type (UTF8String, vendor 10415).</summary>
    public const uint DeferredLocationEventType = 1230;
    /// <summary>LCS-APN (UTF8String, vendor 10415).</summary>
    public const uint LcsApn = 1231;
    /// <summary>LCS-Client-Id (Grouped, vendor 10415).</summary>
    public const uint LcsClientId = 1232;
    /// <summary>LCS-Client-Dialed-By-MS (UTF8String, vendor 10415).</summary>
    public const uint LcsClientDialedByMs = 1233;
    /// <summary>LCS-Client-External-ID (UTF8String, vendor 10415).</summary>
    public const uint LcsClientExternalId = 1234;
    /// <summary>LCS-Client-Name (Grouped, vendor 10415).</summary>
    public const uint LcsClientName = 1235;
    /// <summary>LCS-Data-Coding-Scheme (UTF8String, vendor 10415).</summary>
    public const uint LcsDataCodingScheme = 1236;
    /// <summary>LCS-Format-Indicator (Enumerated, vendor 10415).</summary>
    public const uint LcsFormatIndicator = 1237;
    /// <summary>LCS-Name-String (UTF8String, vendor 10415).</summary>
    public const uint LcsNameString = 1238;
    /// <summary>LCS-Requestor-ID (Grouped, vendor 10415).</summary>
    public const uint LcsRequestorId = 1239;
    /// <summary>LCS-Requestor-ID-String (UTF8String, vendor 10415).</summary>
    public const uint LcsRequestorIdString = 1240;
    /// <summary>LCS-Client-Type (Enumerated, vendor 10415).</summary>
    public const uint LcsClientType = 1241;
    /// <summary>Location-Estimate (OctetString, vendor 10415).</summary>
    public const uint LocationEstimate = 1242;
    /// <summary>Location-Estimate-Type (Enumerated, vendor 10415).</summary>
    public const uint LocationEstimateType = 1243;
    /// <summary>Location-Type (Grouped, vendor 10415).</summary>
    public const uint LocationType = 1244;
    /// <summary>Positioning-Data (UTF8String, vendor 10415).</summary>
    public const uint PositioningData = 1245;
    /// <summary>PDP-Context-Type (Enumerated, vendor 10415).</summary>
    public const uint PdpContextType = 1247;
    /// <summary>MMBox-Storage-Requested (Enumerated, vendor 10415).</summary>
    public const uint MmboxStorageRequested = 1248;
    /// <summary>Service-Specific-Info (Grouped, vendor 10415).</summary>
    public const uint ServiceSpecificInfo = 1249;
    /// <summary>Called-Asserted-Identity (UTF8String, vendor 10415).</summary>
    public const uint CalledAssertedIdentity = 1250;
    /// <summary>Requested-Party-Address (UTF8String, vendor 10415).</summary>
    public const uint RequestedPartyAddress = 1251;
    /// <summary>PoC-User-Role (Grouped, vendor 10415).</summary>
    public const uint PocUserRole = 1252;
    /// <summary>PoC-User-Role-IDs (UTF8String, vendor 10415).</summary>
    public const uint PocUserRoleIds = 1253;
    /// <summary>PoC-User-Role-Info-Units (Enumerated, vendor 10415).</summary>
    public const uint PocUserRoleInfoUnits = 1254;
    /// <summary>Talk-Burst-Exchange (Grouped, vendor 10415).</summary>
    public const uint TalkBurstExchange = 1255;
    /// <summary>Service-Specific-Type (Unsigned32, vendor 10415).</summary>
    public const uint ServiceSpecificType = 1257;
    /// <summary>Event-Charging-TimeStamp (Time, vendor 10415).</summary>
    public const uint EventChargingTimestamp = 1258;
    /// <summary>Participant-Access-Priority (Enumerated, vendor 10415).</summary>
    public const uint ParticipantAccessPriority = 1259;
    /// <summary>Participant-Group (Grouped, vendor 10415).</summary>
    public const uint ParticipantGroup = 1260;
    /// <summary>PoC-Change-Condition (Enumerated, vendor 10415).</summary>
    public const uint PocChangeCondition = 1261;
    /// <summary>PoC-Change-Time (Time, vendor 10415).</summary>
    public const uint PocChangeTime = 1262;
    /// <summary>Access-Network-Information (OctetString, vendor 10415).</summary>
    public const uint AccessNetworkInformation = 1263;
    /// <summary>Trigger (Grouped, vendor 10415).</summary>
    public const uint Trigger = 1264;
    /// <summary>Base-Time-Interval (Unsigned32, vendor 10415).</summary>
    public const uint BaseTimeInterval = 1265;
    /// <summary>Envelope (Grouped, vendor 10415).</summary>
    public const uint Envelope = 1266;
    /// <summary>Envelope-End-Time (Time, vendor 10415).</summary>
    public const uint EnvelopeEndTime = 1267;
    /// <summary>Envelope-Reporting (Enumerated, vendor 10415).</summary>
    public const uint EnvelopeReporting = 1268;
    /// <summary>Envelope-Start-Time (Time, vendor 10415).</summary>
    public const uint EnvelopeStartTime = 1269;
    /// <summary>Time-Quota-Mechanism (Grouped, vendor 10415).</summary>
    public const uint TimeQuotaMechanism = 1270;
    /// <summary>Time-Quota-Type (Enumerated, vendor 10415).</summary>
    public const uint TimeQuotaType = 1271;
    /// <summary>Early-Media-Description (Grouped, vendor 10415).</summary>
    public const uint EarlyMediaDescription = 1272;
    /// <summary>SDP-TimeStamps (Grouped, vendor 10415).</summary>
    public const uint SdpTimestamps = 1273;
    /// <summary>SDP-Offer-Timestamp (Time, vendor 10415).</summary>
    public const uint SdpOfferTimestamp = 1274;
    /// <summary>SDP-Answer-Timestamp (Time, vendor 10415).</summary>
    public const uint SdpAnswerTimestamp = 1275;
    /// <summary>AF-Correlation-Information (Grouped, vendor 10415).</summary>
    public const uint AfCorrelationInformation = 1276;
    /// <summary>PoC-Session-Initiation-type (Enumerated, vendor 10415).</summary>
    public const uint PocSessionInitiationType = 1277;
    /// <summary>Offline-Charging (Grouped, vendor 10415).</summary>
    public const uint OfflineCharging = 1278;
    /// <summary>User-Participating-Type (Enumerated, vendor 10415).</summary>
    public const uint UserParticipatingType = 1279;
    /// <summary>Alternate-Charged-Party-Address (UTF8String, vendor 10415).</summary>
    public const uint AlternateChargedPartyAddress = 1280;
    /// <summary>IMS-Communication-Service-Identifier (UTF8String, vendor 10415).</summary>
    public const uint ImsCommunicationServiceIdentifier = 1281;
    /// <summary>Number-Of-Received-Talk-Bursts (Unsigned32, vendor 10415).</summary>
    public const uint NumberOfReceivedTalkBursts = 1282;
    /// <summary>Number-Of-Talk-Bursts (Unsigned32, vendor 10415).</summary>
    public const uint NumberOfTalkBursts = 1283;
    /// <summary>Received-Talk-Burst-Time (Unsigned32, vendor 10415).</summary>
    public const uint ReceivedTalkBurstTime = 1284;
    /// <summary>Received-Talk-Burst-Volume (Unsigned32, vendor 10415).</summary>
    public const uint ReceivedTalkBurstVolume = 1285;
    /// <summary>Talk-Burst-Time (Unsigned32, vendor 10415).</summary>
    public const uint TalkBurstTime = 1286;
    /// <summary>Talk-Burst-Volume (Unsigned32, vendor 10415).</summary>
    public const uint TalkBurstVolume = 1287;
    /// <summary>Media-Initiator-Party (UTF8String, vendor 10415).</summary>
    public const uint MediaInitiatorParty = 1288;
    /// <summary>PC5-Radio-Technology (Enumerated, vendor 10415).</summary>
    public const uint Pc5RadioTechnology = 1300;
    /// <summary>RAN-End-Time (Time, vendor 10415).</summary>
    public const uint RanEndTime = 1301;
    /// <summary>RAN-Secondary-RAT-Usage-Report (Grouped, vendor 10415).</summary>
    public const uint RanSecondaryRatUsageReport = 1302;
    /// <summary>RAN-Start-Time (Time, vendor 10415).</summary>
    public const uint RanStartTime = 1303;
    /// <summary>Secondary-RAT-Type (OctetString, vendor 10415).</summary>
    public const uint SecondaryRatType = 1304;
    /// <summary>Civic-Address-Information (UTF8String, vendor 10415).</summary>
    public const uint CivicAddressInformation = 1305;
    /// <summary>WLAN-Operator-Id (Grouped, vendor 10415).</summary>
    public const uint WlanOperatorId = 1306;
    /// <summary>WLAN-Operator-Name (UTF8String, vendor 10415).</summary>
    public const uint WlanOperatorName = 1307;
    /// <summary>WLAN-PLMN-Id (UTF8String, vendor 10415).</summary>
    public const uint WlanPlmnId = 1308;
    /// <summary>API-Content (UTF8String, vendor 10415).</summary>
    public const uint ApiContent = 1309;
    /// <summary>API-Direction (Enumerated, vendor 10415).</summary>
    public const uint ApiDirection = 1310;
    /// <summary>API-Identifier (OctetString, vendor 10415).</summary>
    public const uint ApiIdentifier = 1311;
    /// <summary>API-Invocation-Timestamp (Time, vendor 10415).</summary>
    public const uint ApiInvocationTimestamp = 1312;
    /// <summary>API-Result-Code (Unsigned32, vendor 10415).</summary>
    public const uint ApiResultCode = 1313;
    /// <summary>API-Size (Unsigned64, vendor 10415).</summary>
    public const uint ApiSize = 1314;
    /// <summary>API-Network-Service-Node (Enumerated, vendor 10415).</summary>
    public const uint ApiNetworkServiceNode = 1315;
    /// <summary>Exposure-Function-API-Information (Grouped, vendor 10415).</summary>
    public const uint ExposureFunctionApiInformation = 1316;
    /// <summary>SCEF-Address (Address, vendor 10415).</summary>
    public const uint ScefAddress = 1317;
    /// <summary>TLTRI (Unsigned32, vendor 10415).</summary>
    public const uint Tltri = 1318;
    /// <summary>3GPP-OC-Specific-Reduction (Grouped, vendor 10415).</summary>
    public const uint ThreeGppOcSpecificReduction = 1320;
    /// <summary>3GPP-OC-Rating-Group (Unsigned32, vendor 10415).</summary>
    public const uint ThreeGppOcRatingGroup = 1321;
    /// <summary>3GPP-OC-Request-Type (Enumerated, vendor 10415).</summary>
    public const uint ThreeGppOcRequestType = 1322;
    /// <summary>SMS-Information (Grouped, vendor 10415).</summary>
    public const uint SmsInformation = 2000;
    /// <summary>Data-Coding-Scheme (Integer32, vendor 10415).</summary>
    public const uint DataCodingScheme = 2001;
    /// <summary>Destination-Interface (Grouped, vendor 10415).</summary>
    public const uint DestinationInterface = 2002;
    /// <summary>Interface-Id (UTF8String, vendor 10415).</summary>
    public const uint InterfaceId = 2003;
    /// <summary>Interface-Port (UTF8String, vendor 10415).</summary>
    public const uint InterfacePort = 2004;
    /// <summary>Interface-Text (UTF8String, vendor 10415).</summary>
    public const uint InterfaceText = 2005;
    /// <summary>Interface-Type (Enumerated, vendor 10415).</summary>
    public const uint InterfaceType = 2006;
    /// <summary>SM-Message-Type (Enumerated, vendor 10415).</summary>
    public const uint SmMessageType = 2007;
    /// <summary>Originator-SCCP-Address (Address, vendor 10415).</summary>
    public const uint OriginatorSccpAddress = 2008;
    /// <summary>Originator-Interface (Grouped, vendor 10415).</summary>
    public const uint OriginatorInterface = 2009;
    /// <summary>Recipient-SCCP-Address (Address, vendor 10415).</summary>
    public const uint RecipientSccpAddress = 2010;
    /// <summary>Reply-Path-Requested (Enumerated, vendor 10415).</summary>
    public const uint ReplyPathRequested = 2011;
    /// <summary>SM-Discharge-Time (Time, vendor 10415).</summary>
    public const uint SmDischargeTime = 2012;
    /// <summary>SM-Protocol-ID (OctetString, vendor 10415).</summary>
    public const uint SmProtocolId = 2013;
    /// <summary>SM-Status (OctetString, vendor 10415).</summary>
    public const uint SmStatus = 2014;
    /// <summary>SM-User-Data-Header (OctetString, vendor 10415).</summary>
    public const uint SmUserDataHeader = 2015;
    /// <summary>SMS-Node (Enumerated, vendor 10415).</summary>
    public const uint SmsNode = 2016;
    /// <summary>SMSC-Address (Address, vendor 10415).</summary>
    public const uint SmscAddress = 2017;
    /// <summary>Client-Address (Address, vendor 10415).</summary>
    public const uint ClientAddress = 2018;
    /// <summary>Number-Of-Messages-Sent (Unsigned32, vendor 10415).</summary>
    public const uint NumberOfMessagesSent = 2019;
    /// <summary>Low-Balance-Indication (Enumerated, vendor 10415).</summary>
    public const uint LowBalanceIndication = 2020;
    /// <summary>Remaining-Balance (Grouped, vendor 10415).</summary>
    public const uint RemainingBalance = 2021;
    /// <summary>Refund-Information (OctetString, vendor 10415).</summary>
    public const uint RefundInformation = 2022;
    /// <summary>Carrier-Select-Routing-Information (UTF8String, vendor 10415).</summary>
    public const uint CarrierSelectRoutingInformation = 2023;
    /// <summary>Number-Portability-Routing-Information (UTF8String, vendor 10415).</summary>
    public const uint NumberPortabilityRoutingInformation = 2024;
    /// <summary>PoC-Event-Type (Enumerated, vendor 10415).</summary>
    public const uint PocEventType = 2025;
    /// <summary>Recipient-Info (Grouped, vendor 10415).</summary>
    public const uint RecipientInfo = 2026;
    /// <summary>Originator-Received-Address (Grouped, vendor 10415).</summary>
    public const uint OriginatorReceivedAddress = 2027;
    /// <summary>Recipient-Received-Address (Grouped, vendor 10415).</summary>
    public const uint RecipientReceivedAddress = 2028;
    /// <summary>SM-Service-Type (Enumerated, vendor 10415).</summary>
    public const uint SmServiceType = 2029;
    /// <summary>MMTel-Information (Grouped, vendor 10415).</summary>
    public const uint MmtelInformation = 2030;
    /// <summary>MMTel-SService-Type (Unsigned32, vendor 10415).</summary>
    public const uint MmtelSserviceType = 2031;
    /// <summary>Service-Mode (Unsigned32, vendor 10415).</summary>
    public const uint ServiceMode = 2032;
    /// <summary>Subscriber-Role (Enumerated, vendor 10415).</summary>
    public const uint SubscriberRole = 2033;
    /// <summary>Number-Of-Diversions (Unsigned32, vendor 10415).</summary>
    public const uint NumberOfDiversions = 2034;
    /// <summary>Associated-Party-Address (UTF8String, vendor 10415).</summary>
    public const uint AssociatedPartyAddress = 2035;
    /// <summary>SDP-Type (Enumerated, vendor 10415).</summary>
    public const uint SdpType = 2036;
    /// <summary>Change-Condition (Integer32, vendor 10415).</summary>
    public const uint ChangeCondition = 2037;
    /// <summary>Change-Time (Time, vendor 10415).</summary>
    public const uint ChangeTime = 2038;
    /// <summary>Diagnostics (Integer32, vendor 10415).</summary>
    public const uint Diagnostics = 2039;
    /// <summary>Service-Data-Container (Grouped, vendor 10415).</summary>
    public const uint ServiceDataContainer = 2040;
    /// <summary>Start-Time (Time, vendor 10415).</summary>
    public const uint StartTime = 2041;
    /// <summary>Stop-Time (Time, vendor 10415).</summary>
    public const uint StopTime = 2042;
    /// <summary>Time-First-Usage (Time, vendor 10415).</summary>
    public const uint TimeFirstUsage = 2043;
    /// <summary>Time-Last-Usage (Time, vendor 10415).</summary>
    public const uint TimeLastUsage = 2044;
    /// <summary>Time-Usage (Unsigned32, vendor 10415).</summary>
    public const uint TimeUsage = 2045;
    /// <summary>Traffic-Data-Volumes (Grouped, vendor 10415).</summary>
    public const uint TrafficDataVolumes = 2046;
    /// <summary>Serving-Node-Type (Enumerated, vendor 10415).</summary>
    public const uint ServingNodeType = 2047;
    /// <summary>Supplementary-Service (Grouped, vendor 10415).</summary>
    public const uint SupplementaryService = 2048;
    /// <summary>Participant-Action-Type (Enumerated, vendor 10415).</summary>
    public const uint ParticipantActionType = 2049;
    /// <summary>PDN-Connection-Charging-ID (Unsigned32, vendor 10415).</summary>
    public const uint PdnConnectionChargingId = 2050;
    /// <summary>Dynamic-Address-Flag (Enumerated, vendor 10415).</summary>
    public const uint DynamicAddressFlag = 2051;
    /// <summary>Accumulated-Cost (Grouped, vendor 10415).</summary>
    public const uint AccumulatedCost = 2052;
    /// <summary>AoC-Cost-Information (Grouped, vendor 10415).</summary>
    public const uint AocCostInformation = 2053;
    /// <summary>AoC-Information (Grouped, vendor 10415).</summary>
    public const uint AocInformation = 2054;
    /// <summary>AoC-Request-Type (Enumerated, vendor 10415).</summary>
    public const uint AocRequestType = 2055;
    /// <summary>Current-Tariff (Grouped, vendor 10415).</summary>
    public const uint CurrentTariff = 2056;
    /// <summary>Next-Tariff (Grouped, vendor 10415).</summary>
    public const uint NextTariff = 2057;
    /// <summary>Rate-Element (Grouped, vendor 10415).</summary>
    public const uint RateElement = 2058;
    /// <summary>Scale-Factor (Grouped, vendor 10415).</summary>
    public const uint ScaleFactor = 2059;
    /// <summary>Tariff-Information (Grouped, vendor 10415).</summary>
    public const uint TariffInformation = 2060;
    /// <summary>Unit-Cost (Grouped, vendor 10415).</summary>
    public const uint UnitCost = 2061;
    /// <summary>Incremental-Cost (Grouped, vendor 10415).</summary>
    public const uint IncrementalCost = 2062;
    /// <summary>Local-Sequence-Number (Unsigned32, vendor 10415).</summary>
    public const uint LocalSequenceNumber = 2063;
    /// <summary>Node-Id (UTF8String, vendor 10415).</summary>
    public const uint NodeId = 2064;
    /// <summary>SGW-Change (Enumerated, vendor 10415).</summary>
    public const uint SgwChange = 2065;
    /// <summary>Charging-Characteristics-Selection-Mode (Enumerated, vendor 10415).</summary>
    public const uint ChargingCharacteristicsSelectionMode = 2066;
    /// <summary>SGW-Address (Address, vendor 10415).</summary>
    public const uint SgwAddress = 2067;
    /// <summary>Dynamic-Address-Flag-Extension (Enumerated, vendor 10415).</summary>
    public const uint DynamicAddressFlagExtension = 2068;
    /// <summary>Charge-Reason-Code (Enumerated, vendor 10415).</summary>
    public const uint ChargeReasonCode = 2118;
    /// <summary>SIP-Request-Timestamp-Fraction (Unsigned32, vendor 10415).</summary>
    public const uint SipRequestTimestampFraction = 2301;
    /// <summary>SIP-Response-Timestamp-Fraction (Unsigned32, vendor 10415).</summary>
    public const uint SipResponseTimestampFraction = 2302;
    /// <summary>Online-Charging-Flag (Enumerated, vendor 10415).</summary>
    public const uint OnlineChargingFlag = 2303;
    /// <summary>CUG-Information (OctetString, vendor 10415).</summary>
    public const uint CugInformation = 2304;
    /// <summary>Real-Time-Tariff-Information (Grouped, vendor 10415).</summary>
    public const uint RealTimeTariffInformation = 2305;
    /// <summary>Tariff-XML (UTF8String, vendor 10415).</summary>
    public const uint TariffXml = 2306;
    /// <summary>MBMS-GW-Address (Address, vendor 10415).</summary>
    public const uint MbmsGwAddress = 2307;
    /// <summary>IMSI-Unauthenticated-Flag (Enumerated, vendor 10415).</summary>
    public const uint ImsiUnauthenticatedFlag = 2308;
    /// <summary>Account-Expiration (Time, vendor 10415).</summary>
    public const uint AccountExpiration = 2309;
    /// <summary>AoC-Format (Enumerated, vendor 10415).</summary>
    public const uint AocFormat = 2310;
    /// <summary>AoC-Service (Grouped, vendor 10415).</summary>
    public const uint AocService = 2311;
    /// <summary>AoC-Service-Obligatory-Type (Enumerated, vendor 10415).</summary>
    public const uint AocServiceObligatoryType = 2312;
    /// <summary>AoC-Service-Type (Enumerated, vendor 10415).</summary>
    public const uint AocServiceType = 2313;
    /// <summary>AoC-Subscription-Information (Grouped, vendor 10415).</summary>
    public const uint AocSubscriptionInformation = 2314;
    /// <summary>Preferred-AoC-Currency (Unsigned32, vendor 10415).</summary>
    public const uint PreferredAocCurrency = 2315;
    /// <summary>CSG-Access-Mode (Enumerated, vendor 10415).</summary>
    public const uint CsgAccessMode = 2317;
    /// <summary>CSG-Membership-Indication (Enumerated, vendor 10415).</summary>
    public const uint CsgMembershipIndication = 2318;
    /// <summary>User-CSG-Information (Grouped, vendor 10415).</summary>
    public const uint UserCsgInformation = 2319;
    /// <summary>Outgoing-Session-Id (UTF8String, vendor 10415).</summary>
    public const uint OutgoingSessionId = 2320;
    /// <summary>Initial-IMS-Charging-Identifier (UTF8String, vendor 10415).</summary>
    public const uint InitialImsChargingIdentifier = 2321;
    /// <summary>IMS-Emergency-Indicator (Enumerated, vendor 10415).</summary>
    public const uint ImsEmergencyIndicator = 2322;
    /// <summary>MBMS-Charged-Party (Enumerated, vendor 10415).</summary>
    public const uint MbmsChargedParty = 2323;
    /// <summary>IMS-Application-Reference-Identifier (UTF8String, vendor 10415).</summary>
    public const uint ImsApplicationReferenceIdentifier = 2601;
    /// <summary>Low-Priority-Indicator (Enumerated, vendor 10415).</summary>
    public const uint LowPriorityIndicator = 2602;
    /// <summary>IP-Realm-Default-Indication (Enumerated, vendor 10415).</summary>
    public const uint IpRealmDefaultIndication = 2603;
    /// <summary>Local-GW-Inserted-Indication (Enumerated, vendor 10415).</summary>
    public const uint LocalGwInsertedIndication = 2604;
    /// <summary>Transcoder-Inserted-Indication (Enumerated, vendor 10415).</summary>
    public const uint TranscoderInsertedIndication = 2605;
    /// <summary>PDP-Address-Prefix-Length (Unsigned32, vendor 10415).</summary>
    public const uint PdpAddressPrefixLength = 2606;
    /// <summary>Transit-IOI-List (UTF8String, vendor 10415).</summary>
    public const uint TransitIoiList = 2701;
    /// <summary>Status-AS-Code (Enumerated, vendor 10415).</summary>
    public const uint StatusAsCode = 2702;
    /// <summary>NNI-Information (Grouped, vendor 10415).</summary>
    public const uint NniInformation = 2703;
    /// <summary>NNI-Type (Enumerated, vendor 10415).</summary>
    public const uint NniType = 2704;
    /// <summary>Neighbour-Node-Address (Address, vendor 10415).</summary>
    public const uint NeighbourNodeAddress = 2705;
    /// <summary>Relationship-Mode (Enumerated, vendor 10415).</summary>
    public const uint RelationshipMode = 2706;
    /// <summary>Session-Direction (Enumerated, vendor 10415).</summary>
    public const uint SessionDirection = 2707;
    /// <summary>From-Address (UTF8String, vendor 10415).</summary>
    public const uint FromAddress = 2708;
    /// <summary>Access-Transfer-Information (Grouped, vendor 10415).</summary>
    public const uint AccessTransferInformation = 2709;
    /// <summary>Access-Transfer-Type (Enumerated, vendor 10415).</summary>
    public const uint AccessTransferType = 2710;
    /// <summary>Related-IMS-Charging-Identifier (UTF8String, vendor 10415).</summary>
    public const uint RelatedImsChargingIdentifier = 2711;
    /// <summary>Related-IMS-Charging-Identifier-Node (Address, vendor 10415).</summary>
    public const uint RelatedImsChargingIdentifierNode = 2712;
    /// <summary>IMS-Visited-Network-Identifier (UTF8String, vendor 10415).</summary>
    public const uint ImsVisitedNetworkIdentifier = 2713;
    /// <summary>TWAN-User-Location-Info (Grouped, vendor 10415).</summary>
    public const uint TwanUserLocationInfo = 2714;
    /// <summary>BSSID (UTF8String, vendor 10415).</summary>
    public const uint Bssid = 2716;
    /// <summary>TAD-Identifier (Enumerated, vendor 10415).</summary>
    public const uint TadIdentifier = 2717;
    /// <summary>Reason-Header (UTF8String, vendor 10415).</summary>
    public const uint ReasonHeader = 3401;
    /// <summary>Instance-Id (UTF8String, vendor 10415).</summary>
    public const uint InstanceId = 3402;
    /// <summary>Route-Header-Received (UTF8String, vendor 10415).</summary>
    public const uint RouteHeaderReceived = 3403;
    /// <summary>Route-Header-Transmitted (UTF8String, vendor 10415).</summary>
    public const uint RouteHeaderTransmitted = 3404;
    /// <summary>SM-Device-Trigger-Information (Grouped, vendor 10415).</summary>
    public const uint SmDeviceTriggerInformation = 3405;
    /// <summary>MTC-IWF-Address (Address, vendor 10415).</summary>
    public const uint MtcIwfAddress = 3406;
    /// <summary>SM-Device-Trigger-Indicator (Enumerated, vendor 10415).</summary>
    public const uint SmDeviceTriggerIndicator = 3407;
    /// <summary>SM-Sequence-Number (Unsigned32, vendor 10415).</summary>
    public const uint SmSequenceNumber = 3408;
    /// <summary>SMS-Result (Unsigned32, vendor 10415).</summary>
    public const uint SmsResult = 3409;
    /// <summary>VCS-Information (Grouped, vendor 10415).</summary>
    public const uint VcsInformation = 3410;
    /// <summary>Basic-Service-Code (Grouped, vendor 10415).</summary>
    public const uint BasicServiceCode = 3411;
    /// <summary>Bearer-Capability (OctetString, vendor 10415).</summary>
    public const uint BearerCapability = 3412;
    /// <summary>Teleservice (OctetString, vendor 10415).</summary>
    public const uint Teleservice = 3413;
    /// <summary>ISUP-Location-Number (OctetString, vendor 10415).</summary>
    public const uint IsupLocationNumber = 3414;
    /// <summary>Forwarding-Pending (Enumerated, vendor 10415).</summary>
    public const uint ForwardingPending = 3415;
    /// <summary>ISUP-Cause (Grouped, vendor 10415).</summary>
    public const uint IsupCause = 3416;
    /// <summary>MSC-Address (OctetString, vendor 10415).</summary>
    public const uint MscAddress = 3417;
    /// <summary>Network-Call-Reference-Number (OctetString, vendor 10415).</summary>
    public const uint NetworkCallReferenceNumber = 3418;
    /// <summary>Start-of-Charging (Time, vendor 10415).</summary>
    public const uint StartOfCharging = 3419;
    /// <summary>VLR-Number (OctetString, vendor 10415).</summary>
    public const uint VlrNumber = 3420;
    /// <summary>CN-Operator-Selection-Entity (Enumerated, vendor 10415).</summary>
    public const uint CnOperatorSelectionEntity = 3421;
    /// <summary>ISUP-Cause-Diagnostics (OctetString, vendor 10415).</summary>
    public const uint IsupCauseDiagnostics = 3422;
    /// <summary>ISUP-Cause-Location (Unsigned32, vendor 10415).</summary>
    public const uint IsupCauseLocation = 3423;
    /// <summary>ISUP-Cause-Value (Unsigned32, vendor 10415).</summary>
    public const uint IsupCauseValue = 3424;
    /// <summary>EPDG-Address (Address, vendor 10415).</summary>
    public const uint EpdgAddress = 3425;
    /// <summary>Announcing-UE-HPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint AnnouncingUeHplmnIdentifier = 3426;
    /// <summary>Announcing-UE-VPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint AnnouncingUeVplmnIdentifier = 3427;
    /// <summary>Coverage-Status (Enumerated, vendor 10415).</summary>
    public const uint CoverageStatus = 3428;
    /// <summary>Layer-2-Group-ID (OctetString, vendor 10415).</summary>
    public const uint Layer2GroupId = 3429;
    /// <summary>Monitored-PLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint MonitoredPlmnIdentifier = 3430;
    /// <summary>Monitoring-UE-HPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint MonitoringUeHplmnIdentifier = 3431;
    /// <summary>Monitoring-UE-Identifier (UTF8String, vendor 10415).</summary>
    public const uint MonitoringUeIdentifier = 3432;
    /// <summary>Monitoring-UE-VPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint MonitoringUeVplmnIdentifier = 3433;
    /// <summary>PC3-Control-Protocol-Cause (Integer32, vendor 10415).</summary>
    public const uint Pc3ControlProtocolCause = 3434;
    /// <summary>PC3-EPC-Control-Protocol-Cause (Integer32, vendor 10415).</summary>
    public const uint Pc3EpcControlProtocolCause = 3435;
    /// <summary>Requested-PLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint RequestedPlmnIdentifier = 3436;
    /// <summary>Requestor-PLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint RequestorPlmnIdentifier = 3437;
    /// <summary>Role-Of-ProSe-Function (Enumerated, vendor 10415).</summary>
    public const uint RoleOfProseFunction = 3438;
    /// <summary>Usage-Information-Report-Sequence-Number (Integer32, vendor 10415).</summary>
    public const uint UsageInformationReportSequenceNumber = 3439;
    /// <summary>ProSe-3rd-Party-Application-ID (UTF8String, vendor 10415).</summary>
    public const uint Prose3rdPartyApplicationId = 3440;
    /// <summary>ProSe-Direct-Communication-Transmission-Data-Container (Grouped, vendor 10415).</summary>
    public const uint ProseDirectCommunicationTransmissionDataContainer = 3441;
    /// <summary>ProSe-Direct-Discovery-Model (Enumerated, vendor 10415).</summary>
    public const uint ProseDirectDiscoveryModel = 3442;
    /// <summary>ProSe-Event-Type (Enumerated, vendor 10415).</summary>
    public const uint ProseEventType = 3443;
    /// <summary>ProSe-Function-IP-Address (Address, vendor 10415).</summary>
    public const uint ProseFunctionIpAddress = 3444;
    /// <summary>ProSe-Functionality (Enumerated, vendor 10415).</summary>
    public const uint ProseFunctionality = 3445;
    /// <summary>ProSe-Group-IP-Multicast-Address (Address, vendor 10415).</summary>
    public const uint ProseGroupIpMulticastAddress = 3446;
    /// <summary>ProSe-Information (Grouped, vendor 10415).</summary>
    public const uint ProseInformation = 3447;
    /// <summary>ProSe-Range-Class (Enumerated, vendor 10415).</summary>
    public const uint ProseRangeClass = 3448;
    /// <summary>ProSe-Reason-For-Cancellation (Enumerated, vendor 10415).</summary>
    public const uint ProseReasonForCancellation = 3449;
    /// <summary>ProSe-Request-Timestamp (Time, vendor 10415).</summary>
    public const uint ProseRequestTimestamp = 3450;
    /// <summary>ProSe-Role-Of-UE (Enumerated, vendor 10415).</summary>
    public const uint ProseRoleOfUe = 3451;
    /// <summary>ProSe-Source-IP-Address (Address, vendor 10415).</summary>
    public const uint ProseSourceIpAddress = 3452;
    /// <summary>ProSe-UE-ID (OctetString, vendor 10415).</summary>
    public const uint ProseUeId = 3453;
    /// <summary>Proximity-Alert-Indication (Enumerated, vendor 10415).</summary>
    public const uint ProximityAlertIndication = 3454;
    /// <summary>Proximity-Alert-Timestamp (Time, vendor 10415).</summary>
    public const uint ProximityAlertTimestamp = 3455;
    /// <summary>Proximity-Cancellation-Timestamp (Time, vendor 10415).</summary>
    public const uint ProximityCancellationTimestamp = 3456;
    /// <summary>ProSe-Function-PLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint ProseFunctionPlmnIdentifier = 3457;
    /// <summary>Application-Specific-Data (OctetString, vendor 10415).</summary>
    public const uint ApplicationSpecificData = 3458;
    /// <summary>Coverage-Info (Grouped, vendor 10415).</summary>
    public const uint CoverageInfo = 3459;
    /// <summary>Location-Info (Grouped, vendor 10415).</summary>
    public const uint LocationInfo = 3460;
    /// <summary>ProSe-Direct-Communication-Reception-Data-Container (Grouped, vendor 10415).</summary>
    public const uint ProseDirectCommunicationReceptionDataContainer = 3461;
    /// <summary>Radio-Frequency (OctetString, vendor 10415).</summary>
    public const uint RadioFrequency = 3462;
    /// <summary>Radio-Parameter-Set-Info (Grouped, vendor 10415).</summary>
    public const uint RadioParameterSetInfo = 3463;
    /// <summary>Radio-Parameter-Set-Values (OctetString, vendor 10415).</summary>
    public const uint RadioParameterSetValues = 3464;
    /// <summary>Radio-Resources-Indicator (Integer32, vendor 10415).</summary>
    public const uint RadioResourcesIndicator = 3465;
    /// <summary>Time-First-Reception (Time, vendor 10415).</summary>
    public const uint TimeFirstReception = 3466;
    /// <summary>Time-First-Transmission (Time, vendor 10415).</summary>
    public const uint TimeFirstTransmission = 3467;
    /// <summary>Transmitter-Info (Grouped, vendor 10415).</summary>
    public const uint TransmitterInfo = 3468;
    /// <summary>Enhanced-Diagnostics (Grouped, vendor 10415).</summary>
    public const uint EnhancedDiagnostics = 3901;
    /// <summary>Inter-UE-Transfer (Enumerated, vendor 10415).</summary>
    public const uint InterUeTransfer = 3902;
    /// <summary>TWAG-Address (Address, vendor 10415).</summary>
    public const uint TwagAddress = 3903;
    /// <summary>Announcement-Information (Grouped, vendor 10415).</summary>
    public const uint AnnouncementInformation = 3904;
    /// <summary>Announcement-Identifier (Unsigned32, vendor 10415).</summary>
    public const uint AnnouncementIdentifier = 3905;
    /// <summary>Announcement-Order (Unsigned32, vendor 10415).</summary>
    public const uint AnnouncementOrder = 3906;
    /// <summary>Variable-Part (Grouped, vendor 10415).</summary>
    public const uint VariablePart = 3907;
    /// <summary>Variable-Part-Order (Unsigned32, vendor 10415).</summary>
    public const uint VariablePartOrder = 3908;
    /// <summary>Variable-Part-Type (Unsigned32, vendor 10415).</summary>
    public const uint VariablePartType = 3909;
    /// <summary>Variable-Part-Value (UTF8String, vendor 10415).</summary>
    public const uint VariablePartValue = 3910;
    /// <summary>Time-Indicator (Unsigned32, vendor 10415).</summary>
    public const uint TimeIndicator = 3911;
    /// <summary>Quota-Indicator (Enumerated, vendor 10415).</summary>
    public const uint QuotaIndicator = 3912;
    /// <summary>Play-Alternative (Enumerated, vendor 10415).</summary>
    public const uint PlayAlternative = 3913;
    /// <summary>Language (UTF8String, vendor 10415).</summary>
    public const uint Language = 3914;
    /// <summary>Privacy-Indicator (Enumerated, vendor 10415).</summary>
    public const uint PrivacyIndicator = 3915;
    /// <summary>Called-Identity (UTF8String, vendor 10415).</summary>
    public const uint CalledIdentity = 3916;
    /// <summary>Called-Identity-Change (Grouped, vendor 10415).</summary>
    public const uint CalledIdentityChange = 3917;
    /// <summary>UWAN-User-Location-Info (Grouped, vendor 10415).</summary>
    public const uint UwanUserLocationInfo = 3918;
    /// <summary>Monitoring-Event-Configuration-Activity (Integer32, vendor 10415).</summary>
    public const uint MonitoringEventConfigurationActivity = 3919;
    /// <summary>Monitoring-Event-Report-Data (Grouped, vendor 10415).</summary>
    public const uint MonitoringEventReportData = 3920;
    /// <summary>Monitoring-Event-Information (Grouped, vendor 10415).</summary>
    public const uint MonitoringEventInformation = 3921;
    /// <summary>Monitoring-Event-Functionality (Integer32, vendor 10415).</summary>
    public const uint MonitoringEventFunctionality = 3922;
    /// <summary>Monitoring-Event-Report-Number (Unsigned32, vendor 10415).</summary>
    public const uint MonitoringEventReportNumber = 3923;
    /// <summary>Cellular-Network-Information (OctetString, vendor 10415).</summary>
    public const uint CellularNetworkInformation = 3924;
    /// <summary>Related-Change-Condition-Information (Grouped, vendor 10415).</summary>
    public const uint RelatedChangeConditionInformation = 3925;
    /// <summary>Related-Trigger (Grouped, vendor 10415).</summary>
    public const uint RelatedTrigger = 3926;
    /// <summary>CPDT-Information (Grouped, vendor 10415).</summary>
    public const uint CpdtInformation = 3927;
    /// <summary>NIDD-Submission (Grouped, vendor 10415).</summary>
    public const uint NiddSubmission = 3928;
    /// <summary>Serving-Node-Identity (DiameterIdentity, vendor 10415).</summary>
    public const uint ServingNodeIdentity = 3929;
    /// <summary>CP-CIoT-EPS-Optimisation-Indicator (Enumerated, vendor 10415).</summary>
    public const uint CpCiotEpsOptimisationIndicator = 3930;
    /// <summary>SGi-PtP-Tunnelling-Method (Enumerated, vendor 10415).</summary>
    public const uint SgiPtpTunnellingMethod = 3931;
    /// <summary>UNI-PDU-CP-Only-Flag (Enumerated, vendor 10415).</summary>
    public const uint UniPduCpOnlyFlag = 3932;
    /// <summary>APN-Rate-Control (Grouped, vendor 10415).</summary>
    public const uint ApnRateControl = 3933;
    /// <summary>APN-Rate-Control-Downlink (Grouped, vendor 10415).</summary>
    public const uint ApnRateControlDownlink = 3934;
    /// <summary>APN-Rate-Control-Uplink (Grouped, vendor 10415).</summary>
    public const uint ApnRateControlUplink = 3935;
    /// <summary>Additional-Exception-Reports (Enumerated, vendor 10415).</summary>
    public const uint AdditionalExceptionReports = 3936;
    /// <summary>Rate-Control-Max-Message-Size (Unsigned32, vendor 10415).</summary>
    public const uint RateControlMaxMessageSize = 3937;
    /// <summary>Rate-Control-Max-Rate (Unsigned32, vendor 10415).</summary>
    public const uint RateControlMaxRate = 3938;
    /// <summary>Rate-Control-Time-Unit (Unsigned32, vendor 10415).</summary>
    public const uint RateControlTimeUnit = 3939;
    /// <summary>SCS-AS-Address (Grouped, vendor 10415).</summary>
    public const uint ScsAsAddress = 3940;
    /// <summary>SCS-Address (Address, vendor 10415).</summary>
    public const uint ScsAddress = 3941;
    /// <summary>SCS-Realm (DiameterIdentity, vendor 10415).</summary>
    public const uint ScsRealm = 3942;
    /// <summary>Charging-Per-IP-CAN-Session-Indicator (Enumerated, vendor 10415).</summary>
    public const uint ChargingPerIpCanSessionIndicator = 4400;
    /// <summary>Access-Network-Info-Change (Grouped, vendor 10415).</summary>
    public const uint AccessNetworkInfoChange = 4401;
    /// <summary>Discoveree-UE-HPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint DiscovereeUeHplmnIdentifier = 4402;
    /// <summary>Discoveree-UE-VPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint DiscovereeUeVplmnIdentifier = 4403;
    /// <summary>Discoverer-UE-HPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint DiscovererUeHplmnIdentifier = 4404;
    /// <summary>Discoverer-UE-VPLMN-Identifier (UTF8String, vendor 10415).</summary>
    public const uint DiscovererUeVplmnIdentifier = 4405;
    /// <summary>3GPP-PS-Data-Off-Status of TS 32.299 (Enumerated, vendor 10415), the one PS-Information carries in Gy; TS 29.212's (Gx) is <see cref="ThreeGppPsDataOffStatus"/> 2847.</summary>
    public const uint ThreeGppPsDataOffStatusCharging = 4406;
    /// <summary>Unused-Quota-Timer (Unsigned32, vendor 10415).</summary>
    public const uint UnusedQuotaTimer = 4407;
    /// <summary>Announcing-PLMN-ID (UTF8String, vendor 10415).</summary>
    public const uint AnnouncingPlmnId = 4408;
    /// <summary>ProSe-UE-to-Network-Relay-UE-ID (OctetString, vendor 10415).</summary>
    public const uint ProseUeToNetworkRelayUeId = 4409;
    /// <summary>ProSe-Target-Layer-2-ID (OctetString, vendor 10415).</summary>
    public const uint ProseTargetLayer2Id = 4410;
    /// <summary>Relay-IP-address (Address, vendor 10415).</summary>
    public const uint RelayIpAddress = 4411;
    /// <summary>Target-IP-Address (Address, vendor 10415).</summary>
    public const uint TargetIpAddress = 4412;
    /// <summary>FE-Identifier-List (UTF8String, vendor 10415).</summary>
    public const uint FeIdentifierList = 4413;
}
