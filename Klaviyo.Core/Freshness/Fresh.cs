namespace Klaviyo.Core.Freshness;

/// <summary>Data plus the two facts every payload states about it.</summary>
/// <param name="LastUpdated">When the data was last confirmed against Klaviyo; null while an entity it reads has never synced.</param>
public sealed record Fresh<T>(T Data, DateTime? LastUpdated, DataSource DataSource);
