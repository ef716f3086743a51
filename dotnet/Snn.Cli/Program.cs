using Snn;
using Snn.Cli;

return Cli.Run(args);

namespace Snn.Cli
{
    internal static class Cli
    {
        private const string Usage = """
            usage: snn <command> [options]
              demo      Poisson-encode Fashion-MNIST test images through a dense LIF layer and print spike statistics
                        --device cpu|cuda (cpu)  --batch N (500)  --steps T (100)  --hidden N (1024)
                        --beta F (0.9)  --threshold F (1)  --rate F (0.25, peak spike probability per step)
                        --limit N (all 10000)  --seed S (1)  --data DIR (/usr/share/datasets/fashion-mnist)
              devices   list the devices this build can use
              version   print the library and C ABI versions
            """;

        public static int Run(string[] args)
        {
            try
            {
                switch (args.FirstOrDefault())
                {
                    case "demo": Demo.Run(new Options(args.Skip(1))); return 0;
                    case "devices": Devices(); return 0;
                    case "version": Version(); return 0;
                    case null or "help" or "--help" or "-h": Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0;
                    default: Console.Error.WriteLine($"snn: unknown command '{args[0]}'.\n{Usage}"); return 2;
                }
            }
            catch (Exception e) when (e is SnnException or ArgumentException or IOException or InvalidDataException or NotSupportedException)
            {
                Console.Error.WriteLine($"snn: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        }

        private static void Devices()
        {
            foreach (var kind in Enum.GetValues<DeviceKind>())
            {
                var count = Device.Count(kind);
                Console.WriteLine($"{kind}: built={Device.IsBuilt(kind)} count={count}");
                for (var i = 0; i < count; i++)
                {
                    using var device = Device.Open(kind, i);
                    Console.WriteLine($"  [{i}] {device.Name}, {device.TotalMemoryBytes / (1 << 20)} MiB, {device.NumThreads} {(kind == DeviceKind.Cpu ? "threads" : "SMs")}");
                }
            }
        }

        private static void Version()
        {
            Console.WriteLine($"snn {Library.Version} (C ABI {Library.AbiVersion}) from {Library.NativePath}");
        }
    }
}
