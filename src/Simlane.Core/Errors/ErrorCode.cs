namespace Simlane.Core.Errors;

/// <summary>
/// One distinct failure a client can see: a SORACOM-style code (three capital letters and four digits),
/// the HTTP status it answers with, and a short title in English and in Japanese (the message a client
/// gets with <c>X-Soracom-Lang: ja</c>). The catalogue is <see cref="ErrorCodes"/>; docs/errors.md lists
/// every code and a test keeps the two in step.
/// </summary>
public sealed record ErrorCode(string Code, int HttpStatus, string Title, string TitleJa);

/// <summary>
/// A domain or request failure that maps to one <see cref="ErrorCode"/>. Thrown before anything is
/// written, so a caller that sees it knows nothing changed. The message is English; the Japanese answer
/// is made from it by <see cref="ErrorMessages"/> when the error leaves the server.
/// </summary>
public sealed class SimlaneException : Exception
{
    public SimlaneException(ErrorCode error, string? message = null)
        : base(message ?? error.Title)
    {
        Error = error;
    }

    public SimlaneException()
        : this(ErrorCodes.InternalError)
    {
    }

    public SimlaneException(string message)
        : this(ErrorCodes.InvalidRequest, message)
    {
    }

    public SimlaneException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = ErrorCodes.InvalidRequest;
    }

    public ErrorCode Error { get; }
}
