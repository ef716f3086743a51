using Snn.Interop;
using Snn.Native;

namespace Snn.Connections;

/// <summary>
/// Population coding (Spyx's PopulationCode): the preceding layer's neurons, a multiple of <see cref="NumClasses"/>, are cut into
/// <see cref="NumClasses"/> groups of consecutive neurons, and each group's activity is summed into its class.
/// </summary>
public unsafe class PopulationCode
{
    /// <summary>Creates the code for <paramref name="numClasses"/> classes (at least 1).</summary>
    public PopulationCode(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        NumClasses = numClasses;
    }

    /// <summary>Number of classes C.</summary>
    public int NumClasses { get; }

    /// <summary>Sums input [..., C * K] into [..., C]: class c gets neurons c * K .. c * K + K - 1.</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "PopulationCode.Forward needs an input of rank >= 1 whose last axis holds the neurons.");
        shape[^1] = NumClasses;
        var output = input.NewLike(shape);
        try
        {
            NativeCall.Check(Methods.snn_population_code(input.Pointer, NumClasses, output.Pointer));
        }
        catch
        {
            output.Dispose();
            throw;
        }
        GC.KeepAlive(input);
        return output;
    }
}
