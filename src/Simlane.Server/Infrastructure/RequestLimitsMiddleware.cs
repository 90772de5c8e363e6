using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// The limits on the request line and headers, answered with SORACOM's <c>{"code","message"}</c> body.
/// Kestrel's own limits are set well above the API's and this middleware answers the API's, with the
/// error body and in the caller's language (docs/api.md, "Limits"). A request beyond Kestrel's far higher
/// limits is refused by Kestrel itself; <see cref="KestrelErrorBodies"/> gives that answer the body too.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next)
{
    /// <summary>Longest request target (path and query), as sent; longer is 414 COM0015.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Most bytes of header names and values; more is 431 COM0016.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Most header fields; more is 431 COM0016.</summary>
    public const int MaxHeaderCount = 100;

    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
        kestrel.Limits.MaxRequestLineSize = 16 * MaxUrlLength;
        kestrel.Limits.MaxRequestBufferSize = 32 * MaxUrlLength;
        kestrel.Limits.MaxRequestHeadersTotalSize = 8 * MaxHeaderBytes;
        kestrel.Limits.MaxRequestHeaderCount = 10 * MaxHeaderCount;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var length = !string.IsNullOrEmpty(target) ? target.Length : (request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
        if (length > MaxUrlLength)
        {
            return ApiErrors.WriteAsync(context, ErrorCodes.UrlTooLong);
        }

        var headerBytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            headerBytes += name.Length;
            foreach (var value in values)
            {
                headerBytes += value?.Length ?? 0;
            }
        }

        if (request.Headers.Count > MaxHeaderCount || headerBytes > MaxHeaderBytes)
        {
            return ApiErrors.WriteAsync(context, ErrorCodes.HeadersTooLarge);
        }

        if (HasControlCharacter(request.Path.Value))
        {
            return ApiErrors.WriteAsync(context, ErrorCodes.InvalidPath);
        }

        foreach (var (name, values) in request.Query)
        {
            if (HasControlCharacter(name) || values.Any(HasControlCharacter))
            {
                return ApiErrors.WriteAsync(context, ErrorCodes.InvalidQueryParameter, $"{Shorten(name)}: control characters (such as %00) are not allowed in query parameters");
            }
        }

        return next(context);
    }

    private static bool HasControlCharacter(string? value) => value is not null && value.Any(char.IsControl);

    private static string Shorten(string value) => new(value.Take(64).Where(c => !char.IsControl(c)).ToArray());
}
