using GraphQL;
using GraphQL.SystemTextJson;
using Klaviyo.GraphQL.Execution;

namespace Klaviyo.Tests.Transport;

/// <summary>Variables compared by value: a kept validation is reused only for the very same values.</summary>
public sealed class InputValuesTests
{
    private static Inputs Variables(string json) => new GraphQLSerializer().Deserialize<Inputs>(json)!;

    [Fact]
    public void Variables_with_the_same_values_are_the_same_in_any_field_order() =>
        Assert.True(InputValues.Same(
            Variables("""{"range":{"preset":"LAST_30_DAYS","to":null},"ids":["a","b"],"first":2}"""),
            Variables("""{"first":2,"ids":["a","b"],"range":{"to":null,"preset":"LAST_30_DAYS"}}""")));

    [Theory]
    [InlineData("""{"first":3}""")]
    [InlineData("""{"first":"2"}""")]
    [InlineData("""{"first":2.5}""")]
    [InlineData("""{"first":null}""")]
    [InlineData("""{}""")]
    [InlineData("""{"first":2,"after":null}""")]
    [InlineData("""{"first":[2]}""")]
    public void A_different_value_type_or_field_is_not_the_same(string other) =>
        Assert.False(InputValues.Same(Variables("""{"first":2}"""), Variables(other)));

    [Fact]
    public void Lists_are_compared_in_order() =>
        Assert.False(InputValues.Same(Variables("""{"ids":["a","b"]}"""), Variables("""{"ids":["b","a"]}""")));

    [Fact]
    public void Weight_counts_values_and_the_length_of_strings()
    {
        Assert.Equal(0, InputValues.Weight(Variables("""{}""")));
        Assert.True(InputValues.Weight(Variables($$"""{"text":"{{new string('x', 5000)}}"}""")) > KeptValidations.MaxVariablesWeight);
        Assert.True(InputValues.Weight(Variables("""{"range":{"preset":"LAST_30_DAYS"},"account":"acc_1"}""")) < KeptValidations.MaxVariablesWeight);
    }
}
