using Snn.EventDriven;

namespace Snn.Tests.EventDriven;

public class SpikeArrayTests
{
    [Fact]
    public void BuildsFromArraysAndSpikesAndAddsInOrder()
    {
        var empty = new SpikeArray();
        Assert.Empty(empty);
        Assert.Equal(0, empty.NSpikes);
        Assert.True(empty.IsSorted());

        var spikes = new SpikeArray([3u, 1u, 2u], [0.1f, 0.2f, 0.2f]);
        Assert.Equal(3, spikes.Count);
        Assert.Equal(3, spikes.NSpikes);
        Assert.Equal(new Spike(1, 0.2f), spikes[1]);
        Assert.Equal([3u, 1u, 2u], spikes.Indices);
        Assert.Equal([0.1f, 0.2f, 0.2f], spikes.Times);
        Assert.True(spikes.IsSorted());

        spikes.Add(7, 0.05f);
        spikes.Add(new Spike(8, 0.3f));
        spikes.Add([9u, 10u], [0.4f, 0.5f]);
        Assert.Equal(7, spikes.Count);
        Assert.False(spikes.IsSorted());
        Assert.Equal([3u, 1u, 2u, 7u, 8u, 9u, 10u], spikes.Select(s => s.Index));
        Assert.Equal(spikes, new SpikeArray(spikes.ToArray()));

        spikes.Clear();
        Assert.Empty(spikes);
        Assert.True(spikes.IsSorted());
    }

    [Fact]
    public void SortOrdersByTimeThenIndexAndKeepsEveryValue()
    {
        var spikes = new SpikeArray([5u, 2u, 9u, 1u, 4u, 3u], [0.3f, -0.5f, 0.1f, 0.1f, 0f, -0f]);
        Assert.False(spikes.IsSorted());
        spikes.Sort();
        Assert.True(spikes.IsSorted());
        Assert.Equal([2u, 3u, 4u, 1u, 9u, 5u], spikes.Indices);
        Assert.Equal([-0.5f, -0f, 0f, 0.1f, 0.1f, 0.3f], spikes.Times);
        Assert.True(float.IsNegative(spikes.Times[1]), "the bits of each time survive sorting");
    }

    [Fact]
    public void EqualityComparesIndicesAsWellAsTimes()
    {
        var a = new SpikeArray([1u, 2u], [0.1f, 0.2f]);
        Assert.Equal(a, new SpikeArray([1u, 2u], [0.1f, 0.2f + 5e-7f]));   // within Spike.Epsilon
        Assert.NotEqual(a, new SpikeArray([1u, 3u], [0.1f, 0.2f]));        // EvSpikeSim calls these equal
        Assert.NotEqual(a, new SpikeArray([1u, 2u], [0.1f, 0.2001f]));
        Assert.NotEqual(a, new SpikeArray([1u], [0.1f]));
        Assert.True(a == new SpikeArray([1u, 2u], [0.1f, 0.2f]));
        Assert.True(a != new SpikeArray([2u, 2u], [0.1f, 0.2f]));
        Assert.Equal(a.GetHashCode(), new SpikeArray([1u, 2u], [0.1f, 0.2f + 5e-7f]).GetHashCode());

        Assert.Equal(new Spike(4, 1f), new Spike(4, 1f + 5e-7f));
        Assert.NotEqual(new Spike(4, 1f), new Spike(5, 1f));
        Assert.True(new Spike(9, 0.1f) < new Spike(1, 0.2f));
        Assert.True(new Spike(1, 0.2f) >= new Spike(9, 0.2f));
        Assert.Equal("Index: 3, Time: 0.5", new Spike(3, 0.5f).ToString());
    }

    [Fact]
    public void BadArgumentsAreRefusedWithWhatToDo()
    {
        var spikes = new SpikeArray();
        var nan = Assert.Throws<ArgumentException>(() => spikes.Add(1, float.NaN));
        Assert.Contains("time NaN", nan.Message);
        var lengths = Assert.Throws<ArgumentException>(() => new SpikeArray([1u, 2u], [0.1f]));
        Assert.Contains("indices has 2 entries but times has 1", lengths.Message);
        var index = Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeArray([1u], [0.1f])[1]);
        Assert.Contains("pass an index in [0, 1)", index.Message);
        Assert.Empty(spikes);
    }
}
