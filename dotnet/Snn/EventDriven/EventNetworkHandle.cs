using System.Runtime.InteropServices;
using Snn.Interop;
using Snn.Native;

namespace Snn.EventDriven;

/// <summary>
/// Owns one reference to an <c>snn_event_network</c> and the pins of the managed weight arrays its
/// layers read. The native network holds views over those arrays, so they are unpinned only after
/// the network itself has been released.
/// </summary>
internal sealed unsafe class EventNetworkHandle : NativeHandle
{
    private readonly List<GCHandle> _pins = [];

    public EventNetworkHandle(snn_event_network* network) => SetHandle((IntPtr)network);

    public snn_event_network* Pointer => (snn_event_network*)handle;

    /// <summary>Keeps <paramref name="pin"/> until the native network is released.</summary>
    public void Keep(GCHandle pin)
    {
        lock (_pins) _pins.Add(pin);
    }

    protected override void Release(IntPtr pointer)
    {
        Methods.snn_event_network_release((snn_event_network*)pointer);
        lock (_pins)
        {
            foreach (var pin in _pins) pin.Free();
            _pins.Clear();
        }
    }
}
