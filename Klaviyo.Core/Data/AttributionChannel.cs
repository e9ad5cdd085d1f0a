namespace Klaviyo.Core.Data;

public enum AttributionChannel
{
    Campaign = 0,
    Flow = 1,
    Form = 2,
    Other = 3,
}
