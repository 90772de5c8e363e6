using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Simlane.Core.Errors;

namespace Simlane.Server.Infrastructure;

/// <summary>
/// The single error mapper: every failure leaves as SORACOM's <c>{"code","message"}</c> body, its message in
/// Japanese when the request carries <c>X-Soracom-Lang: ja</c> (<see cref="ErrorMessages"/>), else in English.
/// </summary>
public static class ApiErrors
{
    public const string LanguageHeader = "X-Soracom-Lang";

    /// <summary>Error bodies as UTF-8 text, so a Japanese message reads as Japanese, not as \uXXXX escapes (HTML-sensitive characters stay escaped).</summary>
    private static readonly JsonSerializerOptions ErrorJson = new(Json.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static Task WriteAsync(HttpContext context, ErrorCode error, string? message = null, int? status = null)
    {
        context.Response.StatusCode = status ?? error.HttpStatus;
        context.Response.ContentType = "application/json";
        var body = new ErrorBody(error.Code, ErrorMessages.Localize(error, message, context.Request.Headers[LanguageHeader]));
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ErrorJson));
    }

    public static IResult Result(ErrorCode error, string? message = null) => new ErrorResult(error, message);

    /// <summary>Maps an exception that escaped a handler. Only true bugs become 500, and never with a stack trace.</summary>
    public static async Task HandleExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (error, message) = exception switch
        {
            SimlaneException e => (e.Error, e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (ErrorCodes.BodyTooLarge, ErrorCodes.BodyTooLarge.Title),
            BadHttpRequestException e => (ErrorCodes.InvalidRequest, e.Message),
            JsonException e => (ErrorCodes.MalformedJson, JsonBody.Describe(e)),
            _ => (ErrorCodes.InternalError, ErrorCodes.InternalError.Title),
        };
        if (error == ErrorCodes.InternalError)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Simlane.Errors");
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteAsync(context, error, message);
        }
    }

    /// <summary>Gives 404/405 and every other bodiless error status (415, 414, 431 …) the JSON error body.</summary>
    public static async Task StatusCodePageAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var status = context.Response.StatusCode;
        if (context.Response.HasStarted || context.Response.ContentLength > 0 || status < 400)
        {
            return;
        }

        var error = status switch
        {
            StatusCodes.Status400BadRequest => ErrorCodes.InvalidRequest,
            StatusCodes.Status404NotFound => ErrorCodes.RouteNotFound,
            StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
            StatusCodes.Status413PayloadTooLarge => ErrorCodes.BodyTooLarge,
            StatusCodes.Status414UriTooLong => ErrorCodes.UrlTooLong,
            StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMediaType,
            StatusCodes.Status431RequestHeaderFieldsTooLarge => ErrorCodes.HeadersTooLarge,
            >= 500 => ErrorCodes.InternalError,
            _ => ErrorCodes.HttpError,
        };

        // The generic code keeps the status the framework chose (406, 408, 411 …).
        await WriteAsync(context, error, null, error == ErrorCodes.HttpError ? status : error.HttpStatus);
    }
}

public sealed record ErrorBody(string Code, string Message);

/// <summary>An error answered from a handler; localized when it is written, where the request is known.</summary>
internal sealed class ErrorResult(ErrorCode error, string? message) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => error.HttpStatus;

    public Task ExecuteAsync(HttpContext httpContext) => ApiErrors.WriteAsync(httpContext, error, message);
}
