using Snn.Spyx;
using SumPadding = Snn.Connections.SumPadding;

namespace Snn.Tests.Neurons;

/// <summary>ActivityRegularization, PopulationCode and SumPool against sums written out here.</summary>
public class SpyxHelperTests
{
    private static float[] Flat(Tensor tensor)
    {
        var values = new float[tensor.ElementCount];
        tensor.CopyTo<float>(values);
        return values;
    }

    [Fact]
    public void ActivityRegularizationCountsSpikesPerNeuronAcrossCalls()
    {
        const int steps = 12, batch = 2, n = 7;
        var s = Reference.RandomArray(steps * batch * n, 1, 0, 1).Select(u => u < 0.3f ? 1f : 0f).ToArray();
        using var spikes = Tensor.FromArray(s, [steps, batch, n]);
        using var reg = new ActivityRegularization();
        Assert.Null(reg.SpikeCount);
        reg.Accumulate(spikes);
        reg.Accumulate(spikes);
        var expected = new float[batch * n];
        for (var t = 0; t < steps; t++)
            for (var k = 0; k < batch * n; k++) expected[k] += 2 * s[t * batch * n + k];
        Assert.Equal(expected, Flat(reg.SpikeCount!));
        Assert.Equal(new long[] { batch, n }, reg.SpikeCount!.Shape);
        using var other = Tensor.Zeros([steps, batch + 1, n]);
        Assert.Contains("call Reset()", Assert.Throws<SnnArgumentException>(() => reg.Accumulate(other)).Message);
        reg.Reset();
        Assert.Null(reg.SpikeCount);
        reg.Accumulate(other);
        Assert.All(Flat(reg.SpikeCount!), c => Assert.Equal(0f, c));
    }

    [Fact]
    public void PopulationCodeSumsConsecutiveGroups()
    {
        var x = Reference.RandomArray(3 * 2 * 12, 2);
        using var input = Tensor.FromArray(x, [3, 2, 12]);
        using var classes = new PopulationCode(4).Forward(input);
        Assert.Equal(new long[] { 3, 2, 4 }, classes.Shape);
        var expected = new float[3 * 2 * 4];
        for (var r = 0; r < 6; r++)
            for (var c = 0; c < 4; c++)
                expected[r * 4 + c] = x[r * 12 + c * 3] + x[r * 12 + c * 3 + 1] + x[r * 12 + c * 3 + 2];
        Assert.Equal(expected, Flat(classes));
        Assert.Contains("not a multiple of num_classes = 5", Assert.Throws<SnnArgumentException>(() => new PopulationCode(5).Forward(input)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PopulationCode(0));
    }

    [Fact]
    public void SumPoolFollowsHaikuShapesAndXlaPadding()
    {
        // [B, H, W, C] = [1, 5, 4, 2] of integers: sums are exact in any order.
        var x = Enumerable.Range(0, 40).Select(i => (float)(i % 7)).ToArray();
        using var value = Tensor.FromArray(x, [1, 5, 4, 2]);
        float At(int h, int w, int c) => h is >= 0 and < 5 && w is >= 0 and < 4 ? x[(h * 4 + w) * 2 + c] : 0f;

        using var valid = new SumPool(2, 2, "VALID").Forward(value); // window (1, 2, 2, 1): channels and batch untouched
        Assert.Equal(new long[] { 1, 2, 2, 2 }, valid.Shape);
        var got = Flat(valid);
        for (var oh = 0; oh < 2; oh++)
            for (var ow = 0; ow < 2; ow++)
                for (var c = 0; c < 2; c++)
                    Assert.Equal(At(2 * oh, 2 * ow, c) + At(2 * oh, 2 * ow + 1, c) + At(2 * oh + 1, 2 * ow, c) + At(2 * oh + 1, 2 * ow + 1, c),
                        got[(oh * 2 + ow) * 2 + c]);

        using var same = Functions.SumPool(value, 2, 2, "SAME"); // H 5 -> 3: one zero row padded at the bottom
        Assert.Equal(new long[] { 1, 3, 2, 2 }, same.Shape);
        Assert.Equal(At(4, 0, 1) + At(4, 1, 1), Flat(same)[(2 * 2 + 0) * 2 + 1]);

        using var window3 = new SumPool([3, 1], [1, 1], SumPadding.Same).Forward(value); // (1, 1, 3, 1): W only, pad 1 each side
        Assert.Equal(new long[] { 1, 5, 4, 2 }, window3.Shape);
        Assert.Equal(At(2, 0, 0) + At(2, 1, 0), Flat(window3)[(2 * 4 + 0) * 2 + 0]);
        Assert.Equal(At(2, 2, 0) + At(2, 3, 0) + At(2, 1, 0), Flat(window3)[(2 * 4 + 2) * 2 + 0]);

        using var everyAxis = new SumPool(2, 1, SumPadding.Valid, channelAxis: null).Forward(value); // channels pooled too
        Assert.Equal(new long[] { 1, 4, 3, 1 }, everyAxis.Shape);

        Assert.Contains("padding \"FULL\" is unknown", Assert.Throws<SnnArgumentException>(() => new SumPool(2, 2, "FULL")).Message);
        Assert.Contains("window[1] = 6 is larger", Assert.Throws<SnnArgumentException>(() => new SumPool(6, 1).Forward(value)).Message);
        Assert.Contains("has 5 entries but the input has rank 4", Assert.Throws<SnnArgumentException>(() => new SumPool([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]).Forward(value)).Message);
        Assert.Contains("channel axis 7 does not exist", Assert.Throws<SnnArgumentException>(() => new SumPool(2, 2, SumPadding.Valid, 7).Forward(value)).Message);
    }
}
