namespace Snn.Datasets;

/// <summary>
/// Fashion-MNIST (28x28 grey images of 10 clothing classes) from the IDX files that Debian's
/// <c>dataset-fashion-mnist</c> package installs; nothing is downloaded.
/// </summary>
public sealed class FashionMnist
{
    /// <summary>Where Debian's package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnist(float[,] images, byte[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>Pixel intensities [count, 784] scaled to [0, 1].</summary>
    public float[,] Images { get; }

    /// <summary>Class label of each image, 0 to 9.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Loads the training split (60,000 images) or the test split (10,000).</summary>
    /// <exception cref="FileNotFoundException">The files are missing: install dataset-fashion-mnist.</exception>
    public static FashionMnist Load(bool train = false, string directory = DefaultDirectory)
    {
        var prefix = train ? "train" : "t10k";
        var imagesPath = Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz");
        var labelsPath = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz");
        foreach (var path in new[] { imagesPath, labelsPath })
            if (!File.Exists(path))
                throw new FileNotFoundException($"{path} is missing; install it with 'apt-get install dataset-fashion-mnist' or pass the folder that holds it.", path);
        var (imageShape, pixels) = IdxFile.ReadBytes(imagesPath);
        var (labelShape, labels) = IdxFile.ReadBytes(labelsPath);
        if (imageShape.Length != 3 || labelShape.Length != 1 || imageShape[0] != labelShape[0])
            throw new InvalidDataException($"{imagesPath} [{string.Join(", ", imageShape)}] and {labelsPath} [{string.Join(", ", labelShape)}] do not form an image set with one label per image.");
        var features = imageShape[1] * imageShape[2];
        var images = new float[imageShape[0], features];
        var flat = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.CompilerServices.Unsafe.As<byte, float>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(images)), images.Length);
        for (var i = 0; i < flat.Length; i++) flat[i] = pixels[i] / 255f;
        return new FashionMnist(images, labels);
    }
}
