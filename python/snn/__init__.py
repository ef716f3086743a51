"""snn: spiking neural networks, exact and fast on CPU and GPU.

This package is the C# library ``Snn`` seen from Python: its namespaces are modules (``Snn.Layers``
is ``snn.layers``), its types are classes with the same names, and members are snake_case
(``Tensor.FromArray`` is ``Tensor.from_array``, ``DeviceKind.Cuda`` is ``DeviceKind.CUDA``). The
classes are generated at import time from a description the .NET bridge produces by reflection,
so the two APIs cannot drift apart. numpy arrays go in and come out without element-wise copies.
See docs/python.md.
"""

from . import _loader

_loader.load_namespace("Snn", "Snn", __name__)

from . import clr  # noqa: E402  (after the load: the BCL exception classes live there)

__version__ = "0.1.0"
