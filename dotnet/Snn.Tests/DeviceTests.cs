namespace Snn.Tests;

public class DeviceTests
{
    [Fact]
    public void CpuIsAlwaysAvailable()
    {
        Assert.True(Device.IsBuilt(DeviceKind.Cpu));
        Assert.Equal(1, Device.Count(DeviceKind.Cpu));
        Assert.Contains(DeviceKind.Cpu, Device.AvailableKinds());
        using var cpu = Device.Cpu();
        Assert.Equal(DeviceKind.Cpu, cpu.Kind);
        Assert.Equal(0, cpu.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(cpu.Name));
        Assert.True(cpu.TotalMemoryBytes > 0);
        Assert.Equal(0, cpu.ComputeCapability);
        Assert.True(cpu.NumThreads >= 1);
    }

    [Fact]
    public void CpuThreadCountCanBeChosen()
    {
        using var cpu = Device.Cpu(numThreads: 1);
        Assert.Equal(1, cpu.NumThreads);
        cpu.NumThreads = 0;
        Assert.Equal(Environment.ProcessorCount, cpu.NumThreads);
        Assert.Throws<SnnArgumentException>(() => cpu.NumThreads = -3);
    }

    [Fact]
    public void MissingCudaGivesATypedErrorThatSaysWhy()
    {
        if (Device.Count(DeviceKind.Cuda) > 0) return; // a GPU is present: CudaDeviceTests cover it
        var error = Assert.Throws<DeviceUnavailableException>(() => Device.Cuda());
        Assert.Equal(ErrorCode.DeviceUnavailable, error.Code);
        Assert.Matches("(not compiled|no (CUDA )?GPU|no CUDA)", error.Message);
    }

    [Fact]
    public void DisposedDeviceThrowsObjectDisposed()
    {
        var cpu = Device.Cpu();
        cpu.Dispose();
        cpu.Dispose(); // idempotent
        Assert.True(cpu.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => cpu.Synchronize());
        Assert.Throws<ObjectDisposedException>(() => Tensor.Zeros([2], device: cpu));
        Assert.Contains("disposed", cpu.ToString());
    }

    [Fact]
    public void LargeFreedBlocksAreReusedZeroedAndCanBeReleased()
    {
        var cpu = Device.Cpu();
        cpu.ReleaseCachedMemory();
        const long n = 3 << 20; // 12 MiB of float32
        using (Tensor.Full([n], 7.0, device: cpu)) { }
        using (var again = Tensor.Zeros([n], device: cpu)) // the cached block, zero-filled again
        {
            var values = new float[n];
            again.CopyTo<float>(values);
            Assert.True(Array.TrueForAll(values, v => v == 0f));
        }
        Assert.True(cpu.ReleaseCachedMemory() >= 4 * n);
        Assert.Equal(0, cpu.ReleaseCachedMemory());
        cpu.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cpu.ReleaseCachedMemory());
    }

    [Fact]
    public void DefaultDeviceSurvivesDispose()
    {
        Device.Default.Dispose();
        Assert.False(Device.Default.IsDisposed);
        using var tensor = Tensor.Zeros([1]);
        Assert.Same(Device.Default, tensor.Device);
    }

    [Fact]
    public void TensorsOutliveTheirDevice()
    {
        var cpu = Device.Cpu();
        using var tensor = Tensor.FromArray(new float[] { 1, 2, 3 }, cpu);
        cpu.Dispose();
        Assert.Equal(new float[] { 1, 2, 3 }, (float[])tensor.ToArray());
    }
}
