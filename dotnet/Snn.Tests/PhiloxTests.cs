namespace Snn.Tests;

public class PhiloxTests
{
    // Known-answer vectors published with Random123 (kat_vectors, philox4x32 with 10 rounds).
    [Theory]
    [InlineData(new uint[] { 0, 0, 0, 0 }, new uint[] { 0, 0 }, new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 })]
    [InlineData(new uint[] { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, new uint[] { 0xffffffff, 0xffffffff }, new uint[] { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd })]
    [InlineData(new uint[] { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, new uint[] { 0xa4093822, 0x299f31d0 }, new uint[] { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 })]
    public void BlockMatchesPublishedVectors(uint[] counter, uint[] key, uint[] expected)
    {
        Assert.Equal(expected, Philox.Block(counter, key));
        Assert.Equal(expected, Reference.Philox(counter, key));
    }

    [Fact]
    public void UniformStreamFollowsTheDocumentedCounterLayout()
    {
        const ulong seed = 0x1234_5678_9abc_def0, offset = 0x0000_0007_0000_0003;
        using var tensor = Tensor.Zeros([3, 7, 5]);
        Philox.Uniform(tensor, seed, offset);
        var values = (float[,,])tensor.ToArray();
        var flat = values.Cast<float>().ToArray();
        for (var i = 0; i < flat.Length; i++) Assert.Equal(Reference.Uniform(seed, offset, i), flat[i]);
        Assert.All(flat, u => Assert.InRange(u, 0f, 0.99999995f));
    }

    [Fact]
    public void BlockRejectsWrongWordCounts()
    {
        Assert.Throws<ArgumentException>(() => Philox.Block([1, 2, 3], [1, 2]));
        Assert.Throws<ArgumentException>(() => Philox.Block([1, 2, 3, 4], [1]));
        Assert.Throws<ArgumentNullException>(() => Philox.Block(null!, [1, 2]));
    }

    [Fact]
    public void UniformRejectsNonFloatTensors()
    {
        using var tensor = Tensor.Zeros([4], DType.Int32);
        var error = Assert.Throws<SnnArgumentException>(() => Philox.Uniform(tensor, 1));
        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains("float32", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
