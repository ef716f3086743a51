namespace Snn.Neurons;

/// <summary>What happens to the membrane after a spike; values match <c>snn_reset_mode</c>.</summary>
public enum ResetMode
{
    /// <summary>Subtract the threshold (keeps the excess charge).</summary>
    Subtract = 0,
    /// <summary>Set the membrane to zero.</summary>
    Zero = 1,
    /// <summary>Leave the membrane as it is.</summary>
    None = 2,
}
