using Snn.Interop;
using Snn.Native;
using Snn.Networks;

namespace Snn.Neurons;

/// <summary>
/// Runs a <see cref="CurrentIafModel"/> population through <c>snn_iaf_forward</c>: state "v" (volts, starting at
/// v_rest) and "refractory" (steps still held), each [B, N], and the noise stream's position, which continues from
/// one call to the next so a run split into calls draws the noise of one long call.
/// </summary>
internal sealed unsafe class CurrentIafRunner(Population population, CurrentIafModel model) : PopulationRunner(population)
{
    private Tensor? _v, _refractory;

    public override IReadOnlyDictionary<string, Tensor> Parameters => model.Tensors;

    public override IReadOnlyDictionary<string, Tensor> State =>
        _v is null || _refractory is null
            ? new Dictionary<string, Tensor>()
            : new Dictionary<string, Tensor> { ["v"] = _v, ["refractory"] = _refractory };

    /// <summary>"spikes" and "v" (the membrane after each step and its reset, Brian2's v one step later).</summary>
    public override IReadOnlyList<string> Recordable => ["spikes", "v"];

    public override bool SpikingInput => false;

    public override bool SpikingOutput => true;

    protected override void ResetCore()
    {
        _v?.Dispose();
        _refractory?.Dispose();
        _v = _refractory = null;
    }

    /// <summary>"v" [B, N] volts or "refractory" [B, N] steps; the other one is set to rest (v_rest, 0) if there is no
    /// state yet or its batch size differs.</summary>
    public override void SetState(string name, Tensor value)
    {
        var who = $"{Population.Name} ({Population.TypeName})";
        if (name != "v" && name != "refractory")
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{who} has no state variable \"{name}\"; its state is \"v\" and \"refractory\".");
        var shape = value.Shape;
        if (value.DType != DType.Float32 || shape.Length != 2 || shape[1] != model.Size || shape[0] < 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{who}: state \"{name}\" must be float32 [batch, {model.Size}], got {value.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}].");
        EnsureState(shape[0]);
        (name == "v" ? _v! : _refractory!).CopyFrom(value);
    }

    public override Signal Forward(Signal input)
    {
        var x = input.Values;
        var shape = x.Shape;
        long steps = shape[0], batch = shape[1];
        if (steps < 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{Population.Name} ({Population.TypeName}) needs at least one time step, got input [{string.Join(", ", shape)}].");
        EnsureState(batch);
        long[] outShape = [steps, batch, model.Size];
        var spikes = Tensor.Empty(outShape, DType.Float32, x.Device); // the kernel writes every element
        Tensor? membrane = null;
        try
        {
            membrane = Population.Records("v") ? Tensor.Empty(outShape, DType.Float32, x.Device) : null;
            var p = model.Parameters(StepCount); // the noise of step k after a reset: stream offset k
            var st = new snn_iaf_state { membrane = _v!.Pointer, refractory = _refractory!.Pointer };
            NativeCall.Check(Methods.snn_iaf_forward(x.Pointer, model.Weights.Pointer, model.Bias.Pointer, &p, &st, spikes.Pointer,
                membrane is null ? null : membrane.Pointer));
            GC.KeepAlive(x);
            GC.KeepAlive(spikes);
            GC.KeepAlive(membrane);
            GC.KeepAlive(model);
            GC.KeepAlive(this);
            if (membrane is not null) Population.Keep("v", membrane);
            membrane = null;
            if (Population.Records("spikes")) Population.Keep("spikes", spikes.Clone());
            return new Signal(spikes);
        }
        catch
        {
            spikes.Dispose();
            membrane?.Dispose();
            throw;
        }
    }

    /// <summary>[B, N] float32 with every row the neurons' resting potentials (the kernel's float32 v_rest).</summary>
    private Tensor RestPerNeuron(long batch)
    {
        var rest = Array.ConvertAll((double[])model.Tensors["v_rest"].ToArray(), v => (float)v);
        var rows = new float[batch * rest.Length];
        for (var b = 0L; b < batch; b++) rest.CopyTo(rows, b * rest.Length); // row copies, no arithmetic
        return Tensor.FromArray(rows, [batch, rest.Length], Population.Device);
    }

    private void EnsureState(long batch)
    {
        if (_v is not null && _v.Shape[0] == batch) return;
        ResetState();
        _v = model.PerNeuron ? RestPerNeuron(batch) : Tensor.Full([batch, model.Size], model.VRest, DType.Float32, Population.Device);
        _refractory = Tensor.Zeros([batch, model.Size], DType.Float32, Population.Device);
    }
}
