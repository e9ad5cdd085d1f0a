using System.Linq.Expressions;
using Klaviyo.Core.Data;

namespace Klaviyo.Core.Forms;

public sealed record FormRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public int? Views { get; init; }
    public int? Submissions { get; init; }
    public double? SubmitRate { get; init; }
    public DateTime? StatisticsFetchedAt { get; init; }

    public static readonly Expression<Func<Form, FormRow>> Projection = f => new FormRow
    {
        Id = f.Id,
        Name = f.Name,
        Status = f.Status,
        CreatedAt = f.CreatedAt,
        UpdatedAt = f.UpdatedAt,
        Views = f.Statistics == null ? null : f.Statistics.ViewsUnique,
        Submissions = f.Statistics == null ? null : f.Statistics.SubmitsUnique,
        SubmitRate = f.Statistics == null || f.Statistics.ViewsUnique == 0 ? null : (double)f.Statistics.SubmitsUnique / f.Statistics.ViewsUnique,
        StatisticsFetchedAt = f.Statistics == null ? null : f.Statistics.FetchedAt,
    };
}
