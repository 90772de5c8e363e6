using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Simlane.Server.Actions.Aws;

/// <summary>
/// AWS Signature Version 4 for a request with headers (not presigned URLs), for services other than S3:
/// the canonical URI is the request's (already percent-encoded) path encoded once more, segment by segment,
/// as botocore and the AWS SDKs do for every service but S3. Pure code over the BCL (HMAC-SHA256, SHA-256);
/// checked against AWS's published test vectors and against botocore (tests/Simlane.Server.Tests/Actions).
/// See docs/actions.md, "AWS Lambda".
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The <c>X-Amz-Date</c> format.</summary>
    public const string TimestampFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Signs a request. <paramref name="headers"/> are the headers to sign besides <c>host</c> and
    /// <c>x-amz-date</c>, which are always signed (host from <paramref name="uri"/>, with its port when not the
    /// scheme's default); send every one of them, plus <see cref="SigV4Signature.AmzDate"/> as
    /// <c>X-Amz-Date</c> and <see cref="SigV4Signature.Authorization"/> as <c>Authorization</c>.
    /// </summary>
    public static SigV4Signature Sign(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> payload,
        string accessKeyId,
        string secretAccessKey,
        string region,
        string service,
        DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var amzDate = utc.ToString(TimestampFormat, CultureInfo.InvariantCulture);
        var date = amzDate[..8];

        var canonical = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string value)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!canonical.TryGetValue(key, out var values))
            {
                canonical[key] = values = [];
            }

            values.Add(CanonicalHeaderValue(value));
        }

        Add("host", Host(uri));
        Add("x-amz-date", amzDate);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (key is "host" or "x-amz-date" or "authorization")
            {
                throw new ArgumentException($"'{name}' is set by the signer", nameof(headers));
            }

            Add(name, value);
        }

        var signedHeaders = string.Join(';', canonical.Keys);
        var canonicalHeaders = string.Concat(canonical.Select(h => $"{h.Key}:{string.Join(',', h.Value)}\n"));
        var payloadHash = Hex(SHA256.HashData(payload));
        var canonicalRequest = string.Join('\n',
            method.ToUpperInvariant(),
            CanonicalUri(uri),
            CanonicalQuery(uri),
            canonicalHeaders,
            signedHeaders,
            payloadHash);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n',
            Algorithm,
            amzDate,
            scope,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var signingKey = SigningKey(secretAccessKey, date, region, service);
        var signature = Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(authorization, amzDate, payloadHash, signedHeaders, canonicalRequest, stringToSign, signature);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>The Host header as sent: the host, and the port when it is not the scheme's default.</summary>
    public static string Host(Uri uri) => uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// RFC 3986 percent-encoding of everything but the unreserved characters (A–Z a–z 0–9 - _ . ~), over UTF-8,
    /// with upper-case hex; '/' is kept when <paramref name="keepSlash"/>.
    /// </summary>
    public static string UriEncode(string value, bool keepSlash = false)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The request path as sent (percent-encoded), with dot segments removed, encoded once more; "/" when empty.</summary>
    private static string CanonicalUri(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (path.Length == 0)
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 1)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        var normalized = string.Join('/', segments);
        if (path.EndsWith('/') && !normalized.EndsWith('/'))
        {
            normalized += "/";
        }

        return UriEncode(normalized.StartsWith('/') ? normalized : "/" + normalized, keepSlash: true);
    }

    /// <summary>Query parameters decoded, re-encoded strictly, sorted by name then value, joined with '&amp;'.</summary>
    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            return (Name: UriEncode(Uri.UnescapeDataString(name)), Value: UriEncode(Uri.UnescapeDataString(value)));
        });
        return string.Join('&', pairs.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>Leading and trailing spaces trimmed, runs of spaces collapsed to one.</summary>
    private static string CanonicalHeaderValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>The result of <see cref="SigV4.Sign"/>.</summary>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
/// <param name="AmzDate">The <c>X-Amz-Date</c> header value (yyyyMMddTHHmmssZ).</param>
/// <param name="PayloadHash">Hex SHA-256 of the body.</param>
/// <param name="SignedHeaders">The signed header names, lower case, ';'-separated.</param>
/// <param name="CanonicalRequest">For diagnosis and tests.</param>
/// <param name="StringToSign">For diagnosis and tests.</param>
/// <param name="Signature">The hex signature.</param>
public sealed record SigV4Signature(string Authorization, string AmzDate, string PayloadHash, string SignedHeaders, string CanonicalRequest, string StringToSign, string Signature);
