namespace Klaviyo.Core.Digests;

/// <summary>A digest as created or updated over the API.</summary>
public sealed class DigestInput
{
    public string Name { get; set; } = "";
    public DigestFrequency Frequency { get; set; }
    public int Hour { get; set; } = 8;
    public int? DayOfWeek { get; set; }
    public int? DayOfMonth { get; set; }
    public List<string> ContactPointIds { get; set; } = [];
    public bool Enabled { get; set; } = true;
}
