namespace Klaviyo.Core.Errors;

/// <summary>
/// A failure the caller can act on: its message is for people, <see cref="Code"/> for programs
/// (<c>extensions.code</c>). The domain throws it without knowing GraphQL; the GraphQL layer turns
/// it into an error as it is, and every other exception into INTERNAL_ERROR.
/// </summary>
public class AppError(string message, string code, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>More for programs to switch on (a leader's address, a retry time), beside the code.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; } = extensions;
}
