namespace Klaviyo.Sandbox;

/// <summary>The faults in force, swapped atomically by the control endpoint.</summary>
public sealed class SandboxFaultSwitch(Microsoft.Extensions.Options.IOptions<SandboxOptions> options)
{
    private SandboxFaults _current = options.Value.Faults;

    public SandboxFaults Current => Volatile.Read(ref _current);

    public void Set(SandboxFaults faults) => Volatile.Write(ref _current, faults);
}
