using System.Runtime.InteropServices;

namespace Snn.Tests;

public class TensorTests
{
    [Fact]
    public void ArraysRoundTripWithTheirShapeAndType()
    {
        var floats = new float[,,] { { { 1, 2 }, { 3, 4 }, { 5, 6 } } };
        using var a = Tensor.FromArray(floats);
        Assert.Equal(new long[] { 1, 3, 2 }, a.Shape);
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal(6, a.ElementCount);
        Assert.Equal(24, a.ByteCount);
        Assert.Equal(floats, (float[,,])a.ToArray());

        using var b = Tensor.FromArray(new long[] { long.MinValue, -1, long.MaxValue });
        Assert.Equal(new long[] { long.MinValue, -1, long.MaxValue }, (long[])b.ToArray());
        using var c = Tensor.FromArray(new byte[] { 0, 255 });
        Assert.Equal(DType.UInt8, c.DType);
        using var d = Tensor.FromArray(new double[] { Math.PI }, [1, 1]);
        Assert.Equal(Math.PI, ((double[,])d.ToArray())[0, 0]);
    }

    [Fact]
    public void ZerosFullFillAndClone()
    {
        using var zeros = Tensor.Zeros([2, 3], DType.Int32);
        Assert.All(((int[,])zeros.ToArray()).Cast<int>(), v => Assert.Equal(0, v));
        using var full = Tensor.Full([4], 2.5);
        Assert.Equal(new float[] { 2.5f, 2.5f, 2.5f, 2.5f }, (float[])full.ToArray());
        using var clone = full.Clone();
        full.Fill(-1);
        Assert.Equal(new float[] { 2.5f, 2.5f, 2.5f, 2.5f }, (float[])clone.ToArray());
        Assert.Equal(new float[] { -1, -1, -1, -1 }, (float[])full.ToArray());
    }

    [Fact]
    public void EmptyAndScalarShapes()
    {
        using var empty = Tensor.Zeros([0, 5]);
        Assert.Equal(0, empty.ElementCount);
        Assert.Equal(new float[0, 5], (float[,])empty.ToArray());
        using var scalar = Tensor.Full([], 7);
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(new float[] { 7 }, (float[])scalar.ToArray());
    }

    [Fact]
    public void FromArrayOfATensorCopiesIt()
    {
        using var source = Tensor.FromArray(new int[,] { { 1, 2 }, { 3, 4 } });
        using var copy = Tensor.FromArray(source);
        source.Fill(0);
        Assert.Equal(new int[,] { { 1, 2 }, { 3, 4 } }, (int[,])copy.ToArray());
        Assert.Same(Device.Default, copy.Device);
    }

    [Fact]
    public void SpansCopyBothWays()
    {
        using var tensor = Tensor.Zeros([2, 2]);
        tensor.CopyFrom<float>([1, 2, 3, 4]);
        Span<float> back = stackalloc float[4];
        tensor.CopyTo(back);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, back.ToArray());
        tensor.AsSpan<float>()[3] = 40;
        Assert.Equal(40, ((float[,])tensor.ToArray())[1, 1]);
    }

    [Fact]
    public void NumericsTensorsInterop()
    {
        var source = System.Numerics.Tensors.Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var tensor = Tensor.FromTensor(source);
        Assert.Equal(new long[] { 2, 3 }, tensor.Shape);
        var back = tensor.ToTensor();
        Assert.Equal(source.Lengths.ToArray(), back.Lengths.ToArray());
        var flat = new float[6];
        back.FlattenTo(flat);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, flat);
    }

    [Fact]
    public void WrapHostSharesMemoryWithoutCopying()
    {
        var buffer = new float[] { 1, 2, 3, 4, 5, 6 };
        var pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            using var view = Tensor.WrapHost(pin.AddrOfPinnedObject(), buffer.Length * sizeof(float), DType.Float32, [2, 3]);
            Assert.True(view.IsView);
            buffer[4] = 50;
            Assert.Equal(50, ((float[,])view.ToArray())[1, 1]);
            view.Fill(0);
            Assert.All(buffer, v => Assert.Equal(0, v));
            Assert.Throws<SnnArgumentException>(() => Tensor.WrapHost(pin.AddrOfPinnedObject(), 8, DType.Float32, [2, 3]).Dispose());
            Assert.Throws<SnnArgumentException>(() => Tensor.WrapHost(IntPtr.Zero, 0, DType.Float32, [1]).Dispose());
        }
        finally
        {
            pin.Free();
        }
    }

    [Fact]
    public void BadInputGivesTypedErrors()
    {
        Assert.Throws<SnnArgumentException>(() => Tensor.Zeros([2, -1]));
        Assert.Throws<SnnArgumentException>(() => Tensor.Zeros(new long[9]));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new char[] { 'a' }));
        Assert.Throws<ArgumentNullException>(() => Tensor.FromArray((Array)null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.FromArray((Tensor)null!));
        using var tensor = Tensor.Zeros([3]);
        var countError = Assert.Throws<ArgumentException>(() => tensor.CopyFrom(new float[4]));
        Assert.Contains("3 elements", countError.Message);
        var typeError = Assert.Throws<ArgumentException>(() => tensor.CopyFrom(new int[3]));
        Assert.Contains("Float32", typeError.Message);
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], [2, 2]).Dispose());
        using var ints = Tensor.Zeros([3], DType.Int32);
        Assert.Throws<ArgumentException>(() => ints.ToTensor());
    }

    [Fact]
    public void DisposedTensorThrowsObjectDisposed()
    {
        var tensor = Tensor.Zeros([2]);
        tensor.Dispose();
        tensor.Dispose();
        Assert.True(tensor.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => tensor.ToArray());
        Assert.Throws<ObjectDisposedException>(() => tensor.Fill(1));
        using var other = Tensor.Zeros([2]);
        Assert.Throws<ObjectDisposedException>(() => other.CopyFrom(tensor));
        Assert.Contains("disposed", tensor.ToString());
    }

    [Fact]
    public void ReshapeAndSliceAreViewsThatOutliveTheirBase()
    {
        Tensor slice, flat;
        using (var t = Tensor.FromArray(new float[,,] { { { 0, 1 } }, { { 2, 3 } }, { { 4, 5 } } }))
        {
            slice = t.Slice(1, 2);
            flat = t.Reshape(6);
            Assert.Equal(new long[] { 2, 1, 2 }, slice.Shape);
            slice.Fill(7);
        }
        using (slice)
        using (flat)
        {
            var values = new float[6];
            flat.CopyTo<float>(values);
            Assert.Equal(new float[] { 0, 1, 7, 7, 7, 7 }, values);
        }
        using var u = Tensor.Zeros([3, 2]);
        Assert.Throws<SnnArgumentException>(() => u.Slice(2, 2));
        Assert.Throws<SnnArgumentException>(() => u.Reshape(4));
    }

    [Fact]
    public void AddAccumulatesInPlace()
    {
        using var a = Tensor.FromArray(new float[] { 1, 2, 3 });
        using var b = Tensor.FromArray(new float[] { 0.5f, -2, 10 });
        a.Add(b);
        Assert.Equal(new float[] { 1.5f, 0, 13 }, (float[])a.ToArray());
        using var c = Tensor.Zeros([2]);
        Assert.Throws<SnnArgumentException>(() => a.Add(c));
    }

    [Fact]
    public void EmptyTensorsHaveTheirShapeAndTakeWrites()
    {
        using var t = Tensor.Empty([3, 4]);
        Assert.Equal(new long[] { 3, 4 }, t.Shape);
        t.Fill(1.5);
        Assert.All(t.ToArray().Cast<float>(), x => Assert.Equal(1.5f, x));
        Assert.Throws<SnnArgumentException>(() => Tensor.Empty([-1]));
    }
}
