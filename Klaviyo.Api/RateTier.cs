namespace Klaviyo.Api;

/// <summary>A Klaviyo rate-limit tier: burst per second, steady per minute, optionally a daily quota.</summary>
public sealed record RateTier(string Name, int Burst, int Steady, int? Daily = null)
{
    public static readonly RateTier XS = new("XS", 1, 15);
    public static readonly RateTier S = new("S", 3, 60);
    public static readonly RateTier M = new("M", 10, 150);
    public static readonly RateTier L = new("L", 75, 750);
    public static readonly RateTier XL = new("XL", 350, 3500);
    public static readonly RateTier Reporting = new("Reporting", 1, 2, 225);
}
