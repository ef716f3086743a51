using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Snn.Interop;
using Snn.Native;
using NumericsTensor = System.Numerics.Tensors.Tensor;

namespace Snn;

/// <summary>
/// A dense row-major tensor in the memory of one <see cref="Device"/>. Owned tensors hold zero-filled
/// native memory; views made by <see cref="WrapHost"/> borrow host memory without copying.
/// Operations never keep a reference to a tensor argument: they copy what they need to retain.
/// </summary>
public sealed unsafe class Tensor : IDisposable
{
    private readonly TensorHandle _handle;
    private readonly long[] _shape;

    private Tensor(TensorHandle handle, Device device, DType dtype, long[] shape, bool isView)
    {
        _handle = handle;
        _shape = shape;
        Device = device;
        DType = dtype;
        IsView = isView;
    }

    /// <summary>The device whose memory holds the elements.</summary>
    public Device Device { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Extents of each dimension (a copy).</summary>
    public long[] Shape => (long[])_shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public long ElementCount => ElementCountOf(_shape);

    /// <summary>Size of the elements in bytes.</summary>
    public long ByteCount => ElementCount * DTypes.Size(DType);

    /// <summary>Whether this tensor borrows caller memory (see <see cref="WrapHost"/>).</summary>
    public bool IsView { get; }

    /// <summary>Whether <see cref="Dispose"/> has released this tensor.</summary>
    public bool IsDisposed => _handle.IsClosed;

    internal snn_tensor* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.Pointer;
        }
    }

    /// <summary>A new zero-filled tensor.</summary>
    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Create(shape, dtype, device, zeroFill: true);

    /// <summary>A new tensor whose elements are unspecified until written (no zero fill, like torch.empty): for
    /// outputs that are overwritten entirely, where zero-filling a large fresh tensor costs a pass over memory.</summary>
    public static Tensor Empty(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Create(shape, dtype, device, zeroFill: false);

    private static Tensor Create(long[] shape, DType dtype, Device? device, bool zeroFill)
    {
        ArgumentNullException.ThrowIfNull(shape);
        device ??= Device.Default;
        snn_tensor* tensor;
        fixed (long* extents = shape)
            NativeCall.Check(zeroFill
                ? Methods.snn_tensor_create(device.Pointer, (snn_dtype)dtype, shape.Length, extents, &tensor)
                : Methods.snn_tensor_create_uninitialized(device.Pointer, (snn_dtype)dtype, shape.Length, extents, &tensor));
        GC.KeepAlive(device);
        return new Tensor(new TensorHandle(tensor), device, dtype, (long[])shape.Clone(), isView: false);
    }

    /// <summary>A new tensor with every element set to <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null) =>
        Zeros(shape, dtype, device).Initialised(t => t.Fill(value));

    /// <summary>A new tensor holding a copy of <paramref name="values"/>, shaped like the array
    /// (a <c>float[,,]</c> gives a rank-3 float32 tensor).</summary>
    public static Tensor FromArray(Array values, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var shape = new long[values.Rank];
        for (var d = 0; d < shape.Length; d++) shape[d] = values.GetLongLength(d);
        return FromArray(values, shape, device);
    }

    /// <summary>A new tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/>
    /// read in row-major order; the element counts must agree.</summary>
    public static Tensor FromArray(Array values, long[] shape, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Zeros(shape, DTypes.FromClrType(values.GetType().GetElementType()!), device).Initialised(t => t.CopyFrom(values));
    }

    /// <summary>A new tensor on <paramref name="device"/> holding a copy of <paramref name="values"/>. From Python,
    /// a numpy array given to <c>from_array</c> binds here as a borrowed view: one copy, no intermediate array.</summary>
    public static Tensor FromArray(Tensor values, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.To(device ?? Device.Default);
    }

    /// <summary>A new float32 tensor holding a copy of a <see cref="System.Numerics.Tensors.Tensor{T}"/>.</summary>
    public static Tensor FromTensor(System.Numerics.Tensors.Tensor<float> values, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var shape = values.Lengths.ToArray().Select(n => (long)n).ToArray();
        var flat = new float[values.FlattenedLength];
        values.FlattenTo(flat); // handles strided (non-dense) tensors too
        return FromArray(flat, shape, device);
    }

    /// <summary>
    /// A CPU tensor over host memory the caller owns, without copying. The memory must stay alive and
    /// unmoved until the view is disposed (pin managed memory first).
    /// </summary>
    public static Tensor WrapHost(IntPtr data, long byteCapacity, DType dtype, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(byteCapacity);
        var device = Device.Default;
        snn_tensor* tensor;
        fixed (long* extents = shape)
            NativeCall.Check(Methods.snn_tensor_create_view(device.Pointer, (snn_dtype)dtype, shape.Length, extents,
                (void*)data, (nuint)byteCapacity, &tensor));
        return new Tensor(new TensorHandle(tensor), device, dtype, (long[])shape.Clone(), isView: true);
    }

    /// <summary>Copies the elements into a new array of this tensor's shape and element type
    /// (a rank-0 tensor gives a one-element vector).</summary>
    public Array ToArray()
    {
        var lengths = _shape.Length == 0 ? [1] : _shape.Select(n => checked((int)n)).ToArray();
        var array = Array.CreateInstance(DTypes.ClrType(DType), lengths);
        Download(ref MemoryMarshal.GetArrayDataReference(array), checked((nuint)ByteCount));
        return array;
    }

    /// <summary>Copies a float32 tensor into a new <see cref="System.Numerics.Tensors.Tensor{T}"/>.</summary>
    public System.Numerics.Tensors.Tensor<float> ToTensor()
    {
        RequireDType(DType.Float32);
        var flat = new float[ElementCount];
        CopyTo<float>(flat);
        return NumericsTensor.Create(flat, _shape.Select(n => checked((nint)n)).ToArray()); // wraps, no copy
    }

    /// <summary>Overwrites every element with <paramref name="values"/> (any rank; same element type and count).</summary>
    public void CopyFrom(Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireDType(DTypes.FromClrType(values.GetType().GetElementType()!));
        RequireCount(values.LongLength);
        Upload(ref MemoryMarshal.GetArrayDataReference(values), checked((nuint)ByteCount));
    }

    /// <summary>Overwrites every element with <paramref name="values"/> (same element type and count).</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        RequireDType(DTypes.FromClrType(typeof(T)));
        RequireCount(values.Length);
        Upload(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), checked((nuint)ByteCount));
    }

    /// <summary>Overwrites every element with those of <paramref name="source"/>, which may live on another device.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        NativeCall.Check(Methods.snn_tensor_copy(Pointer, source.Pointer));
        GC.KeepAlive(source);
        GC.KeepAlive(this);
    }

    /// <summary>Copies every element into <paramref name="destination"/> (same element type and count).</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        RequireDType(DTypes.FromClrType(typeof(T)));
        RequireCount(destination.Length);
        Download(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(destination)), checked((nuint)ByteCount));
    }

    /// <summary>The elements of a CPU tensor as a span over native memory, without copying.</summary>
    /// <exception cref="NotSupportedException">The tensor is not on the CPU.</exception>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        RequireDType(DTypes.FromClrType(typeof(T)));
        void* data;
        NativeCall.Check(Methods.snn_tensor_host_data(Pointer, &data));
        GC.KeepAlive(this);
        return new Span<T>(data, checked((int)ElementCount));
    }

    /// <summary>A copy of this tensor on <paramref name="device"/>.</summary>
    public Tensor To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Zeros(_shape, DType, device).Initialised(t => t.CopyFrom(this));
    }

    /// <summary>
    /// This tensor's elements seen with another <paramref name="shape"/> of the same element count, without copying
    /// (on any device). Writes through either are seen by both; the view keeps the memory alive after this tensor is
    /// disposed, except memory this tensor itself borrows (a numpy array, a <see cref="WrapHost"/> view).
    /// </summary>
    public Tensor Reshape(params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (ElementCountOf(shape) != ElementCount)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"cannot view [{string.Join(", ", _shape)}] ({ElementCount} elements) as [{string.Join(", ", shape)}] ({ElementCountOf(shape)} elements); keep the element count.");
        return Subview(0, shape);
    }

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> - 1 of the first
    /// axis (for a [T, B, ...] sequence: those time steps), without copying; see <see cref="Reshape"/> for lifetimes.</summary>
    public Tensor Slice(long start, long length)
    {
        if (_shape.Length == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "a scalar (rank-0) tensor has no rows to slice; reshape it to [1] first.");
        if (start < 0 || length < 0 || start > _shape[0] - length)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"rows {start} .. {start + length - 1} are outside the {_shape[0]} rows of [{string.Join(", ", _shape)}]; pass 0 <= start and start + length <= {_shape[0]}.");
        var shape = (long[])_shape.Clone();
        shape[0] = length;
        var rowElements = _shape[0] == 0 ? 0 : ElementCount / _shape[0];
        return Subview(start * rowElements, shape);
    }

    private Tensor Subview(long offset, long[] shape)
    {
        snn_tensor* view;
        fixed (long* extents = shape)
            NativeCall.Check(Methods.snn_tensor_create_subview(Pointer, offset, shape.Length, extents, &view));
        GC.KeepAlive(this);
        return new Tensor(new TensorHandle(view), Device, DType, (long[])shape.Clone(), isView: true);
    }

    /// <summary>Adds <paramref name="addend"/> (float32, same shape and device, not overlapping) into this float32
    /// tensor, element by element, in place.</summary>
    public void Add(Tensor addend)
    {
        ArgumentNullException.ThrowIfNull(addend);
        NativeCall.Check(Methods.snn_tensor_add(Pointer, addend.Pointer));
        GC.KeepAlive(this);
        GC.KeepAlive(addend);
    }

    /// <summary>A copy of this tensor on the same device.</summary>
    public Tensor Clone() => To(Device);

    /// <summary>A new float32 tensor with the two leading axes of this one (rank &gt;= 2) exchanged, [B, T, ...] to
    /// [T, B, ...] and back, computed natively on this tensor's device.</summary>
    public Tensor SwapLeadingAxes()
    {
        if (_shape.Length < 2)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"[{string.Join(", ", _shape)}] has fewer than two axes to swap; pass a tensor of rank >= 2.");
        long[] shape = [_shape[1], _shape[0], .. _shape.AsSpan(2)];
        var result = Empty(shape, DType, Device); // the kernel writes every element
        try
        {
            NativeCall.Check(Methods.snn_tensor_swap_leading_axes(Pointer, result.Pointer));
            GC.KeepAlive(this);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(double value)
    {
        NativeCall.Check(Methods.snn_tensor_fill(Pointer, value));
        GC.KeepAlive(this);
    }

    /// <summary>Releases the native memory (for a view: the view, never the borrowed memory).</summary>
    public void Dispose() => _handle.Dispose();

    /// <inheritdoc/>
    public override string ToString() =>
        $"Tensor({DType.ToString().ToLowerInvariant()}, [{string.Join(", ", _shape)}], {Device.Kind}:{Device.Ordinal}{(IsDisposed ? ", disposed" : "")})";

    internal static long ElementCountOf(long[] shape)
    {
        long count = 1;
        foreach (var extent in shape) count = checked(count * extent);
        return count;
    }

    /// <summary>Runs <paramref name="initialise"/> on this new tensor and returns it, or disposes it if that throws.</summary>
    private Tensor Initialised(Action<Tensor> initialise)
    {
        try
        {
            initialise(this);
            return this;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A new tensor on this tensor's device, for operation outputs.</summary>
    internal Tensor NewLike(long[] shape, DType dtype = DType.Float32) => Zeros(shape, dtype, Device);

    /// <summary>An output on this tensor's device that the next native call overwrites entirely: no zero fill
    /// (a wasted pass over tens of MB per layer call).</summary>
    internal Tensor NewOutputLike(long[] shape, DType dtype = DType.Float32) => Empty(shape, dtype, Device);

    private void RequireDType(DType expected)
    {
        if (DType != expected)
            throw new ArgumentException($"this tensor holds {DType} elements, not {expected}; convert the data to {DTypes.ClrType(DType).Name} first.");
    }

    private void RequireCount(long count)
    {
        if (count != ElementCount)
            throw new ArgumentException($"this tensor of shape [{string.Join(", ", _shape)}] holds {ElementCount} elements, but {count} were given.");
    }

    private void Upload(ref byte source, nuint bytes)
    {
        fixed (byte* data = &source)
            NativeCall.Check(Methods.snn_tensor_upload(Pointer, data, bytes));
        GC.KeepAlive(this);
    }

    private void Download(ref byte destination, nuint bytes)
    {
        fixed (byte* data = &destination)
            NativeCall.Check(Methods.snn_tensor_download(Pointer, data, bytes));
        GC.KeepAlive(this);
    }
}
