namespace Klaviyo.Core.Security;

/// <summary>429 with Retry-After (whole seconds) and a GraphQL-shaped error body, for every limit.</summary>
public static class RateLimitResponse
{
    public static async ValueTask WriteAsync(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.Response.WriteAsJsonAsync(new
        {
            errors = new[] { new { message = $"Too many requests; try again in {seconds} s.", extensions = new { code = Errors.ErrorCodes.RateLimited, retryAfterSeconds = seconds } } },
        }, http.RequestAborted);
    }
}
