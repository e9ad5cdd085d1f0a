namespace Klaviyo.Core.Digests;

/// <summary>How often a digest goes out, and so the window it reports on.</summary>
public enum DigestFrequency
{
    /// <summary>Every day: yesterday.</summary>
    Daily,
    /// <summary>One day a week: the 7 days before it.</summary>
    Weekly,
    /// <summary>One day a month: the whole previous month.</summary>
    Monthly,
}
