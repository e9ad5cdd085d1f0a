namespace Klaviyo.Core.Data;

/// <summary>
/// A scheduled report: daily, weekly or monthly at an hour of the account's calendar, to contact
/// points. Each occurrence is queued once in the outbox (its key names the occurrence), so two
/// instances or a restart never send it twice.
/// </summary>
public sealed class Digest
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    /// <summary>Daily, Weekly or Monthly (<see cref="Digests.DigestFrequency"/>).</summary>
    public required string Frequency { get; set; }
    /// <summary>0–23, the account's local time.</summary>
    public int Hour { get; set; }
    /// <summary>Weekly: 1 (Monday) to 7 (Sunday).</summary>
    public int? DayOfWeek { get; set; }
    /// <summary>Monthly: 1 to 28 (every month has it).</summary>
    public int? DayOfMonth { get; set; }
    /// <summary>Contact point ids, comma-separated.</summary>
    public string ContactPoints { get; set; } = "";
    public bool Enabled { get; set; } = true;
    /// <summary>The next occurrence (UTC); null: computed at the scheduler's next look (after a change).</summary>
    public DateTime? NextRunAt { get; set; }
    public DateTime? LastQueuedAt { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}
