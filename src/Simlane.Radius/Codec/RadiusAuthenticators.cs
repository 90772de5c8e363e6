using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Simlane.Radius.Codec;

/// <summary>
/// The RADIUS authenticators: Request Authenticator of Accounting/CoA/Disconnect requests (RFC 2866 3, RFC 5176
/// 3.5), Response Authenticator (RFC 2865 3), Message-Authenticator (RFC 3579 3.2) and User-Password hiding
/// (RFC 2865 5.2). MD5 is what the protocol mandates. Every comparison is constant-time.
/// </summary>
[SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "RFC 2865/2866/3579/5176 define these checks with MD5 and HMAC-MD5.")]
public static class RadiusAuthenticators
{
    private const int AuthOffset = 4;
    private const int AuthSize = RadiusPacket.AuthenticatorSize;

    /// <summary>Checks an Accounting-, Disconnect- or CoA-Request's Request Authenticator:
    /// MD5(Code+Identifier+Length+16 zero octets+Attributes+Secret).</summary>
    public static bool VerifyRequestAuthenticator(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> secret)
    {
        Span<byte> expected = stackalloc byte[AuthSize];
        HashWithAuthenticator(packet, zeroAuthenticator: true, ReadOnlySpan<byte>.Empty, secret, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(AuthOffset, AuthSize));
    }

    /// <summary>Checks a reply's Response Authenticator: MD5(Code+Identifier+Length+RequestAuth+Attributes+Secret).</summary>
    public static bool VerifyResponseAuthenticator(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        Span<byte> expected = stackalloc byte[AuthSize];
        HashWithAuthenticator(reply, zeroAuthenticator: false, requestAuthenticator, secret, expected);
        return CryptographicOperations.FixedTimeEquals(expected, reply.Slice(AuthOffset, AuthSize));
    }

    /// <summary>
    /// Checks a Message-Authenticator: HMAC-MD5(secret) over the packet with the attribute's value zeroed and the
    /// Authenticator field replaced by <paramref name="authenticatorForHmac"/>: the packet's own for
    /// Access-Request, 16 zero octets for Accounting/CoA/Disconnect requests, the request's for replies.
    /// </summary>
    public static bool VerifyMessageAuthenticator(ReadOnlySpan<byte> packet, int valueOffset, ReadOnlySpan<byte> authenticatorForHmac, ReadOnlySpan<byte> secret)
    {
        if (valueOffset < RadiusPacket.HeaderSize + 2 || valueOffset + AuthSize > packet.Length)
        {
            return false;
        }
        var rented = ArrayPool<byte>.Shared.Rent(packet.Length);
        try
        {
            var copy = rented.AsSpan(0, packet.Length);
            packet.CopyTo(copy);
            SetAuthenticator(copy, authenticatorForHmac);
            copy.Slice(valueOffset, AuthSize).Clear();
            Span<byte> expected = stackalloc byte[AuthSize];
            HMACMD5.HashData(secret, copy, expected);
            return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(valueOffset, AuthSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Signs a reply in place: the Message-Authenticator (when <paramref name="messageAuthenticatorOffset"/> is
    /// not -1) over the packet carrying the request's authenticator, then the Response Authenticator. An
    /// Accounting-Response's Message-Authenticator is computed over a zero authenticator instead
    /// (<paramref name="zeroAuthenticatorForHmac"/>), as FreeRADIUS computes and checks it (decisions.md S53).
    /// </summary>
    public static void SignResponse(Span<byte> reply, int messageAuthenticatorOffset, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret,
        bool zeroAuthenticatorForHmac = false)
    {
        if (zeroAuthenticatorForHmac)
        {
            reply.Slice(AuthOffset, AuthSize).Clear();
        }
        else
        {
            requestAuthenticator.CopyTo(reply.Slice(AuthOffset, AuthSize));
        }
        if (messageAuthenticatorOffset >= 0)
        {
            reply.Slice(messageAuthenticatorOffset, AuthSize).Clear();
            HMACMD5.HashData(secret, reply, reply.Slice(messageAuthenticatorOffset, AuthSize));
        }
        Span<byte> response = stackalloc byte[AuthSize];
        HashWithAuthenticator(reply, zeroAuthenticator: false, requestAuthenticator, secret, response);
        response.CopyTo(reply.Slice(AuthOffset, AuthSize));
    }

    /// <summary>
    /// Signs an Accounting-, Disconnect- or CoA-Request in place: the Message-Authenticator (computed with a zero
    /// Authenticator, RFC 5176 3.3) when present, then the Request Authenticator.
    /// </summary>
    public static void SignRequest(Span<byte> packet, int messageAuthenticatorOffset, ReadOnlySpan<byte> secret)
    {
        packet.Slice(AuthOffset, AuthSize).Clear();
        if (messageAuthenticatorOffset >= 0)
        {
            packet.Slice(messageAuthenticatorOffset, AuthSize).Clear();
            HMACMD5.HashData(secret, packet, packet.Slice(messageAuthenticatorOffset, AuthSize));
        }
        Span<byte> authenticator = stackalloc byte[AuthSize];
        HashWithAuthenticator(packet, zeroAuthenticator: true, ReadOnlySpan<byte>.Empty, secret, authenticator);
        authenticator.CopyTo(packet.Slice(AuthOffset, AuthSize));
    }

    /// <summary>
    /// Signs an Access-Request in place (used by tests and tools): a random Request Authenticator, then the
    /// Message-Authenticator over the packet carrying it.
    /// </summary>
    public static void SignAccessRequest(Span<byte> packet, int messageAuthenticatorOffset, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        requestAuthenticator.CopyTo(packet.Slice(AuthOffset, AuthSize));
        if (messageAuthenticatorOffset >= 0)
        {
            packet.Slice(messageAuthenticatorOffset, AuthSize).Clear();
            HMACMD5.HashData(secret, packet, packet.Slice(messageAuthenticatorOffset, AuthSize));
        }
    }

    /// <summary>RFC 2865 5.2: hides a password (at most 128 bytes) with the secret and Request Authenticator.</summary>
    public static byte[] HidePassword(ReadOnlySpan<byte> password, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        if (password.Length > 128)
        {
            throw new ArgumentException("A User-Password is at most 128 bytes.", nameof(password));
        }
        int padded = Math.Max(16, (password.Length + 15) / 16 * 16);
        var result = new byte[padded];
        password.CopyTo(result);
        Span<byte> block = stackalloc byte[AuthSize];
        ReadOnlySpan<byte> previous = requestAuthenticator;
        for (int i = 0; i < padded; i += 16)
        {
            Md5Concat(secret, previous, block);
            for (int j = 0; j < 16; j++)
            {
                result[i + j] ^= block[j];
            }
            previous = result.AsSpan(i, 16);
        }
        return result;
    }

    /// <summary>RFC 2865 5.2: recovers a hidden password; null when the hidden value is not a multiple of 16 bytes
    /// between 16 and 128. Trailing NUL padding is removed.</summary>
    public static byte[]? UnhidePassword(ReadOnlySpan<byte> hidden, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        if (hidden.Length < 16 || hidden.Length > 128 || hidden.Length % 16 != 0)
        {
            return null;
        }
        var result = new byte[hidden.Length];
        Span<byte> block = stackalloc byte[AuthSize];
        ReadOnlySpan<byte> previous = requestAuthenticator;
        for (int i = 0; i < hidden.Length; i += 16)
        {
            Md5Concat(secret, previous, block);
            for (int j = 0; j < 16; j++)
            {
                result[i + j] = (byte)(hidden[i + j] ^ block[j]);
            }
            previous = hidden.Slice(i, 16);
        }
        int end = result.Length;
        while (end > 0 && result[end - 1] == 0)
        {
            end--;
        }
        return result[..end];
    }

    /// <summary>CHAP (RFC 2865 2.2, 5.3): MD5(CHAP-Ident + password + challenge) equals the CHAP-Password's 16
    /// response bytes; the challenge is CHAP-Challenge when present, else the Request Authenticator.</summary>
    public static bool VerifyChapPassword(ReadOnlySpan<byte> chapPassword, ReadOnlySpan<byte> password, ReadOnlySpan<byte> challenge)
    {
        if (chapPassword.Length != 17)
        {
            return false;
        }
        var input = new byte[1 + password.Length + challenge.Length];
        input[0] = chapPassword[0];
        password.CopyTo(input.AsSpan(1));
        challenge.CopyTo(input.AsSpan(1 + password.Length));
        Span<byte> expected = stackalloc byte[AuthSize];
        MD5.HashData(input, expected);
        CryptographicOperations.ZeroMemory(input);
        return CryptographicOperations.FixedTimeEquals(expected, chapPassword[1..]);
    }

    private static void Md5Concat(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> block, Span<byte> destination)
    {
        Span<byte> input = secret.Length + block.Length <= 512 ? stackalloc byte[secret.Length + block.Length] : new byte[secret.Length + block.Length];
        secret.CopyTo(input);
        block.CopyTo(input[secret.Length..]);
        MD5.HashData(input, destination);
        CryptographicOperations.ZeroMemory(input);
    }

    private static void HashWithAuthenticator(ReadOnlySpan<byte> packet, bool zeroAuthenticator, ReadOnlySpan<byte> authenticator, ReadOnlySpan<byte> secret, Span<byte> destination)
    {
        int total = packet.Length + secret.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var input = rented.AsSpan(0, total);
            packet.CopyTo(input);
            if (zeroAuthenticator)
            {
                input.Slice(AuthOffset, AuthSize).Clear();
            }
            else
            {
                authenticator.CopyTo(input.Slice(AuthOffset, AuthSize));
            }
            secret.CopyTo(input[packet.Length..]);
            MD5.HashData(input, destination);
            CryptographicOperations.ZeroMemory(input[packet.Length..]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void SetAuthenticator(Span<byte> packet, ReadOnlySpan<byte> authenticator)
    {
        if (authenticator.IsEmpty)
        {
            packet.Slice(AuthOffset, AuthSize).Clear();
        }
        else
        {
            authenticator.CopyTo(packet.Slice(AuthOffset, AuthSize));
        }
    }
}
