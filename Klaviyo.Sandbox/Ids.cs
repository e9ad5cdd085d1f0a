namespace Klaviyo.Sandbox;

/// <summary>Deterministic ids in Klaviyo's formats, from a seed and an index.</summary>
public static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string Alphanumeric = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A 64-bit mix (SplitMix64) of seed, kind and index: the same inputs give the same account.</summary>
    public static ulong Hash(int seed, int kind, long index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)kind * 0xBF58476D1CE4E5B9UL + (ulong)index * 0x94D049BB133111EBUL + 0x2545F4914F6CDD1DUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    /// <summary>26-character ULID-like id (campaigns, profiles, messages).</summary>
    public static string Ulid(int seed, int kind, long index)
    {
        Span<char> id = stackalloc char[26];
        var a = Hash(seed, kind, index);
        var b = Hash(seed, kind + 1000, index);
        for (var i = 0; i < 13; i++)
        {
            id[i] = Crockford[(int)(a & 31)];
            a >>= 5;
            id[13 + i] = Crockford[(int)(b & 31)];
            b >>= 5;
        }
        id[0] = '0'; // ULIDs of this century start with 0
        return new string(id);
    }

    /// <summary>6-character alphanumeric id (flows, metrics, lists, segments, forms).</summary>
    public static string Short(int seed, int kind, long index)
    {
        Span<char> id = stackalloc char[6];
        var h = Hash(seed, kind, index);
        for (var i = 0; i < 6; i++)
        {
            id[i] = Alphanumeric[(int)(h % (ulong)Alphanumeric.Length)];
            h /= (ulong)Alphanumeric.Length;
        }
        return new string(id);
    }
}
