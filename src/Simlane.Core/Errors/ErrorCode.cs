namespace Simlane.Core.Errors;

/// <summary>
/// One distinct failure a client can see: a SORACOM-style code (three capital letters and four digits),
/// the HTTP status it answers with, and a short English title. The catalogue is <see cref="ErrorCodes"/>;
/// docs/errors.md lists every code and a test keeps the two in step.
/// </summary>
public sealed record ErrorCode(string Code, int HttpStatus, string Title);

/// <summary>
/// A domain or request failure that maps to one <see cref="ErrorCode"/>. Thrown before anything is
/// written, so a caller that sees it knows nothing changed.
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
