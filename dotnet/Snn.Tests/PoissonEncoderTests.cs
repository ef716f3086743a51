using Snn.Encoding;

namespace Snn.Tests;

public class PoissonEncoderTests
{
    [Fact]
    public void SpikesAreExactlyTheDocumentedThresholdingOfTheStream()
    {
        const int steps = 6, batch = 3, n = 11;
        const ulong seed = 99;
        var p = Reference.RandomArray(batch * n, seed: 5, low: 0, high: 1);
        p[0] = 0; p[1] = 1;
        using var intensities = Tensor.FromArray(p, [batch, n]);
        var encoder = new PoissonEncoder(steps, seed) { Offset = 4 };
        using var spikes = encoder.Encode(intensities);
        Assert.Equal(new long[] { steps, batch, n }, spikes.Shape);
        Assert.Equal(5ul, encoder.Offset);
        var got = ((float[,,])spikes.ToArray()).Cast<float>().ToArray();
        for (var i = 0; i < got.Length; i++)
        {
            var expected = Reference.Uniform(seed, 4, i) < p[i % (batch * n)] ? 1f : 0f;
            Assert.Equal(expected, got[i]);
        }
    }

    [Fact]
    public void SameSeedSameSpikesAndCallsDiffer()
    {
        using var intensities = Tensor.Full([2, 50], 0.5);
        var a = new PoissonEncoder(20, seed: 7);
        var b = new PoissonEncoder(20, seed: 7);
        using var a1 = a.Encode(intensities);
        using var b1 = b.Encode(intensities);
        using var a2 = a.Encode(intensities);
        Assert.Equal((float[,,])a1.ToArray(), (float[,,])b1.ToArray());
        Assert.NotEqual((float[,,])a1.ToArray(), (float[,,])a2.ToArray());
    }

    [Fact]
    public void RateMatchesTheProbability()
    {
        using var intensities = Tensor.Full([4, 1000], 0.2);
        using var spikes = new PoissonEncoder(100, seed: 3).Encode(intensities);
        var mean = ((float[,,])spikes.ToArray()).Cast<float>().Average();
        // 400,000 Bernoulli(0.2) draws: standard error 6.3e-4, so 0.005 is about 8 sigma.
        Assert.InRange(mean, 0.195, 0.205);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(1.5f)]
    [InlineData(-0.1f)]
    public void IntensitiesOutsideTheUnitIntervalAreRejected(float bad)
    {
        using var intensities = Tensor.FromArray(new float[] { 0.5f, bad }, [1, 2]);
        var encoder = new PoissonEncoder(3);
        var error = Assert.Throws<SnnArgumentException>(() => encoder.Encode(intensities));
        Assert.Contains("[0, 1]", error.Message);
        Assert.Equal(0ul, encoder.Offset);
    }

    [Fact]
    public void ShapeAndStepErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonEncoder(0));
        using var rank3 = Tensor.Zeros([1, 2, 3]);
        Assert.Throws<SnnArgumentException>(() => new PoissonEncoder(2).Encode(rank3));
        using var ints = Tensor.Zeros([2, 2], DType.Int32);
        Assert.Throws<SnnArgumentException>(() => new PoissonEncoder(2).Encode(ints));
    }
}
