using System.Text.RegularExpressions;


namespace Klaviyo.Testing.Processes;

/// <summary>The dashboard's password sign-in form as a script fills it: the antiforgery token from the page, then the fields it posts.</summary>
public static partial class SignInForm
{
    public const string TokenField = "__RequestVerificationToken";

    /// <summary>The antiforgery token in a page's form; empty when the page has none.</summary>
    public static string Token(string html) => TokenInput().Match(html).Groups[1].Value;

    public static FormUrlEncodedContent Fields(string token, string email, string password, string returnUrl = "/") => new(new Dictionary<string, string>
    {
        ["Email"] = email,
        ["Password"] = password,
        ["ReturnUrl"] = returnUrl,
        [TokenField] = token,
    });

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
