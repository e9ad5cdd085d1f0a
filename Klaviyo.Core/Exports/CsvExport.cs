using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Klaviyo.Core.Exports;

/// <summary>
/// A CSV response written as rows arrive: a few "key,value" lines that say what the file holds
/// (range, time zone, currency, lastUpdated, dataSource…), a blank line, then the table. Every
/// text cell starting with =, +, -, @, tab or carriage return is escaped (CsvHelper's injection
/// escaping: a leading apostrophe), so a spreadsheet never runs a cell as a formula; numbers are
/// written as numbers (a negative change stays a number).
/// </summary>
public sealed class CsvExport : IAsyncDisposable
{
    private static readonly CsvWriterOptions Options = new()
    {
        Injection = CsvInjection.Escape,
        ValidateFieldCount = false, // the heading lines are shorter than the table
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;

    public CsvExport(HttpResponse response, string fileName) : this(response.Body)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>Into a stream (a digest's attachment); the stream stays open.</summary>
    public CsvExport(Stream stream)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true);
        _csv = CsvWriter.Create(_writer, Options, leaveOpen: true);
    }

    public void Row(params object?[] cells)
    {
        if (cells.Length == 0)
            cells = [""]; // a blank line is one empty field
        foreach (var cell in cells)
        {
            if (Number(cell) is double number)
                _csv.WriteField(number, "R");
            else
                _csv.WriteField(Text(cell) ?? "");
        }
        _csv.EndRecord();
    }

    /// <summary>The heading lines of a payload read for a conversion metric and channel (overview, campaigns, flows).</summary>
    public void ScopeRows(JsonElement payload)
    {
        var metric = payload.GetProperty("conversionMetric");
        Row("Conversion metric", metric.ValueKind == JsonValueKind.Null ? ""
            : $"{metric.GetProperty("name").GetString()} ({metric.GetProperty("integrationName")}) {metric.GetProperty("id").GetString()}");
        Row("Channel", payload.GetProperty("channel").ValueKind == JsonValueKind.Null ? "ALL" : payload.GetProperty("channel").GetString());
        if (payload.TryGetProperty("statisticsNote", out var note) && note.ValueKind == JsonValueKind.String)
            Row("Note", note.GetString());
    }

    public async Task FlushAsync()
    {
        await _csv.FlushAsync();
        await _writer.FlushAsync();
    }

    private static double? Number(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        double d => d,
        int i => i,
        long l => l,
        _ => null,
    };

    /// <summary>Cells as a spreadsheet reads them: numbers and instants invariant, JSON values by kind.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonElement { ValueKind: JsonValueKind.True } => "true",
        JsonElement { ValueKind: JsonValueKind.False } => "false",
        JsonElement e => e.GetRawText(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await FlushAsync();
        await _csv.DisposeAsync();
        await _writer.DisposeAsync();
    }
}
