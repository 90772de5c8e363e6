using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Simlane.Diameter.Tests.Infrastructure;

/// <summary>
/// A PGW stand-in over real TCP, written on the codec: sends messages (whole, byte by byte, or many in one write) and
/// reads the node's messages one frame at a time. Every wait is bounded (10 s) and fails the test instead of hanging.
/// </summary>
public sealed class DiameterTestClient : IAsyncDisposable
{
    public const string DefaultHost = "pgw.test";
    public const string DefaultRealm = "test";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Socket socket;
    private byte[] buffer = new byte[64 * 1024];
    private int buffered;
    private uint nextId = 0x1000;

    private DiameterTestClient(Socket socket) => this.socket = socket;

    public IPEndPoint Local => (IPEndPoint)socket.LocalEndPoint!;

    public static async Task<DiameterTestClient> ConnectAsync(IPEndPoint server, IPAddress? local = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (local is not null)
        {
            socket.Bind(new IPEndPoint(local, 0));
        }
        using var limit = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(server, limit.Token);
        return new DiameterTestClient(socket);
    }

    /// <summary>A request with fresh ids.</summary>
    public DiameterMessage Request(uint command, uint application = DiameterApplications.CreditControl, bool proxiable = true)
    {
        var request = DiameterMessage.CreateRequest(command, application, proxiable);
        request.HopByHopId = nextId++;
        request.EndToEndId = 0xE2E00000 + nextId;
        return request;
    }

    /// <summary>A CER as freeDiameter (Open5GS) sends it: Auth-Application-Id 4 and Gx inside Vendor-Specific-Application-Id.</summary>
    public DiameterMessage Cer(string originHost = DefaultHost, uint[]? applications = null, bool vendorSpecificGx = true)
    {
        var cer = Request(DiameterCommands.CapabilitiesExchange, DiameterApplications.Common, proxiable: false);
        cer.Avps.Add(Avp.OfString(AvpCodes.OriginHost, originHost));
        cer.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, DefaultRealm));
        cer.Avps.Add(Avp.OfAddress(AvpCodes.HostIpAddress, IPAddress.Loopback));
        cer.Avps.Add(Avp.OfUInt32(AvpCodes.VendorId, 0));
        cer.Avps.Add(Avp.OfString(AvpCodes.ProductName, "test-pgw", mandatory: false));
        cer.Avps.Add(Avp.OfUInt32(AvpCodes.OriginStateId, 7));
        cer.Avps.Add(Avp.OfUInt32(AvpCodes.SupportedVendorId, AvpCodes.Vendor3gpp));
        foreach (var application in applications ?? [DiameterApplications.CreditControl])
        {
            cer.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, application));
        }
        if (vendorSpecificGx)
        {
            cer.Avps.Add(Avp.OfGrouped(AvpCodes.VendorSpecificApplicationId,
            [
                Avp.OfUInt32(AvpCodes.VendorId, AvpCodes.Vendor3gpp),
                Avp.OfUInt32(AvpCodes.AuthApplicationId, 16777238),
            ]));
        }
        return cer;
    }

    /// <summary>A CCR-I like Open5GS's SMF (Session-Id, Subscription-Id IMSI, MSCC with RSU), numbered as asked.</summary>
    public DiameterMessage Ccr(uint requestNumber = 0, string sessionId = "pgw.test;1;1", uint requestType = CcRequestTypes.Initial)
    {
        var ccr = Request(DiameterCommands.CreditControl);
        ccr.Avps.Add(Avp.OfString(AvpCodes.SessionId, sessionId));
        ccr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, DefaultHost));
        ccr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, DefaultRealm));
        ccr.Avps.Add(Avp.OfString(AvpCodes.DestinationRealm, TestApplication.OriginRealm));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.AuthApplicationId, DiameterApplications.CreditControl));
        ccr.Avps.Add(Avp.OfString(AvpCodes.ServiceContextId, "32251@3gpp.org"));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestType, requestType));
        ccr.Avps.Add(Avp.OfUInt32(AvpCodes.CcRequestNumber, requestNumber));
        ccr.Avps.Add(Avp.OfGrouped(AvpCodes.SubscriptionId,
        [
            Avp.OfUInt32(AvpCodes.SubscriptionIdType, SubscriptionIdTypes.EndUserImsi),
            Avp.OfString(AvpCodes.SubscriptionIdData, "001010123456789"),
        ]));
        ccr.Avps.Add(Avp.OfGrouped(AvpCodes.MultipleServicesCreditControl,
        [
            Avp.OfGrouped(AvpCodes.RequestedServiceUnit, [Avp.OfUInt64(AvpCodes.CcTotalOctets, 1_000_000)]),
        ]));
        return ccr;
    }

    public DiameterMessage Dwr()
    {
        var dwr = Request(DiameterCommands.DeviceWatchdog, DiameterApplications.Common, proxiable: false);
        dwr.Avps.Add(Avp.OfString(AvpCodes.OriginHost, DefaultHost));
        dwr.Avps.Add(Avp.OfString(AvpCodes.OriginRealm, DefaultRealm));
        return dwr;
    }

    public static DiameterMessage AnswerTo(DiameterMessage request, uint resultCode = DiameterResultCodes.Success) =>
        DiameterMessage.CreateAnswer(request, resultCode, DefaultHost, DefaultRealm);

    public Task SendAsync(DiameterMessage message) => SendRawAsync(message.Encode());

    public async Task SendRawAsync(byte[] bytes)
    {
        using var limit = new CancellationTokenSource(Patience);
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, limit.Token);
        }
    }

    /// <summary>Writes the bytes one write per byte (the node sees many partial reads).</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            await SendRawAsync(bytes[i..(i + 1)]);
        }
    }

    /// <summary>Sends the message and returns the next message from the node (which should be its answer).</summary>
    public async Task<DiameterMessage> ExchangeAsync(DiameterMessage request)
    {
        await SendAsync(request);
        var answer = await ReceiveAsync();
        answer.IsRequest.ShouldBeFalse($"expected the answer to {request}, got {answer}");
        answer.HopByHopId.ShouldBe(request.HopByHopId);
        return answer;
    }

    /// <summary>Sends the CER and returns the CEA.</summary>
    public Task<DiameterMessage> CapabilitiesExchangeAsync(string originHost = DefaultHost, uint[]? applications = null, bool vendorSpecificGx = true) =>
        ExchangeAsync(Cer(originHost, applications, vendorSpecificGx));

    /// <summary>The next message from the node, decoded; fails if none arrives in 10 s or the connection closes first.</summary>
    public async Task<DiameterMessage> ReceiveAsync()
    {
        var frame = await ReceiveFrameAsync(Patience) ?? throw new ShouldAssertException("the node closed the connection instead of sending a message");
        var result = DiameterMessage.Decode(frame);
        result.IsSuccess.ShouldBeTrue(result.ToString());
        return result.Message!;
    }

    /// <summary>
    /// The next frame, or null when the node closes the connection (EOF or reset) first; throws
    /// <see cref="TimeoutException"/> if neither happens within <paramref name="patience"/>.
    /// </summary>
    public async Task<byte[]?> ReceiveFrameAsync(TimeSpan patience)
    {
        using var limit = new CancellationTokenSource(patience);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, 0, buffered);
            var status = DiameterFraming.TryReadFrame(sequence, DiameterMessage.MaxLength, out var frame, out var error);
            status.ShouldNotBe(FrameStatus.Fatal, error);
            if (status == FrameStatus.Frame)
            {
                var bytes = frame.ToArray();
                Array.Copy(buffer, bytes.Length, buffer, 0, buffered - bytes.Length);
                buffered -= bytes.Length;
                return bytes;
            }
            if (buffered == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer.AsMemory(buffered), SocketFlags.None, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"nothing from the node within {patience}");
            }
            catch (SocketException)
            {
                return null; // reset by the node
            }
            if (read == 0)
            {
                return null;
            }
            buffered += read;
        }
    }

    /// <summary>Asserts that the node closes the connection (within 10 s), with no further message before.</summary>
    public async Task ShouldBeClosedAsync()
    {
        var frame = await ReceiveFrameAsync(Patience);
        frame.ShouldBeNull($"expected the node to close the connection, got {(frame is null ? "" : DiameterMessage.Decode(frame).ToString())}");
    }

    /// <summary>Asserts that nothing arrives within <paramref name="quiet"/> (a bounded negative check).</summary>
    public async Task ShouldReceiveNothingAsync(TimeSpan quiet)
    {
        try
        {
            var frame = await ReceiveFrameAsync(quiet);
            throw new ShouldAssertException(frame is null ? "the node closed the connection" : $"unexpected {DiameterMessage.Decode(frame)}");
        }
        catch (TimeoutException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
