using GraphQLParser.AST;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Klaviyo.Client.Generator;

/// <summary>A .graphql file: its path and text, so a node's offsets become a location Roslyn can point at.</summary>
internal sealed class GraphQLSource(string path, SourceText text)
{
    public string Path { get; } = path;
    public SourceText Text { get; } = text;

    public Location Locate(ASTNode? node) => node is null ? Locate(0, 0) : Locate(node.Location.Start, node.Location.End);

    public Location Locate(int start, int end)
    {
        start = System.Math.Max(0, System.Math.Min(start, Text.Length));
        end = System.Math.Max(start, System.Math.Min(end, Text.Length));
        var span = TextSpan.FromBounds(start, end);
        return Location.Create(Path, span, Text.Lines.GetLinePositionSpan(span));
    }

    /// <summary>A parser error's 1-based line and column.</summary>
    public Location Locate(int line, int column, int length)
    {
        var index = System.Math.Max(0, System.Math.Min(line - 1, Text.Lines.Count - 1));
        var start = Text.Lines[index].Start + System.Math.Max(0, column - 1);
        return Locate(start, start + length);
    }
}
