namespace Klaviyo.Core.Accounts;

/// <summary>The keys of the further accounts of the sandbox this deployment hosts (a host that serves one says; Core knows no emulator).</summary>
public interface ISandboxKeys
{
    bool Knows(string apiKey);
}
