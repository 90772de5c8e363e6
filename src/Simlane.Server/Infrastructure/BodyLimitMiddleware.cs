using Microsoft.AspNetCore.Http.Features;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>An endpoint's own body limit, larger than <see cref="JsonBody.MaxBytes"/> (the gateway's usage batches).</summary>
public sealed record BodyLimit(int Bytes);

/// <summary>
/// Holds the body limit for every route, also for those whose handlers never read a body (auth_keys,
/// logout, unset_expiry_time, retry …): a body over the limit, announced by Content-Length or sent
/// chunked, answers 413 COM0005 before the handler runs. A body within the limit is read here once and
/// handed on in memory, so the handler's own reading (JsonBody) sees the same bytes.
/// </summary>
public sealed class BodyLimitMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes ?? JsonBody.MaxBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            await ApiErrors.WriteAsync(context, ErrorCodes.BodyTooLarge, JsonBody.BodyTooLargeMessage(limit));
            return;
        }

        var hasBody = request.ContentLength > 0
            || (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        if (hasBody)
        {
            var buffer = await JsonBody.ReadUpToAsync(request.Body, limit, context.RequestAborted, request.ContentLength);
            if (buffer is null)
            {
                await ApiErrors.WriteAsync(context, ErrorCodes.BodyTooLarge, JsonBody.BodyTooLargeMessage(limit));
                return;
            }

            request.Body = buffer;
            context.Response.RegisterForDispose(buffer);
        }

        await next(context);
    }
}
