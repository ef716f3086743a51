// The Python modules of the seed facades: snn.spyx, snn.pysnn, snn.rockpool and snn.evspikesim, named as their users
// know them, and the core types each facade shows under its own module.
using Snn;

[assembly: PythonModule("Snn.PySnn", "pysnn")]
[assembly: PythonModule("Snn.EvSpikeSim", "evspikesim")]
[assembly: PythonExport("Snn.Rockpool", typeof(Snn.Timed.TSContinuous))]
[assembly: PythonExport("Snn.Rockpool", typeof(Snn.Timed.TSEvent))]
[assembly: PythonExport("Snn.Rockpool", typeof(Snn.Timed.TimeSeries))]
[assembly: PythonExport("Snn.Rockpool", typeof(Snn.Timed.TimedModule))]
[assembly: PythonExport("Snn.Rockpool", typeof(Snn.Timed.TimedSequential))]
