namespace Snn.Bridge.Fixture.Inner;

/// <summary>A type in a sub-namespace (module snn_fixture.inner).</summary>
public sealed class Widget
{
    /// <summary>Creates a widget with parts.</summary>
    public Widget(params string[] parts) => Parts = parts.Select(p => new Part(p)).ToArray();

    /// <summary>The parts.</summary>
    public Part[] Parts { get; }

    /// <summary>A nested type (Widget.Part in Python).</summary>
    public sealed class Part
    {
        /// <summary>Creates a part.</summary>
        public Part(string label) => Label = label;

        /// <summary>Label.</summary>
        public string Label { get; }

        /// <summary>Kinds of part (a nested enum).</summary>
        public enum Kind
        {
            /// <summary>Small.</summary>
            Small,
            /// <summary>Large.</summary>
            Large,
        }
    }
}
