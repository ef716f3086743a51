"""The .NET side of snn: proxy base classes, the exception hierarchy root, loading other .NET
namespaces, and handle counts. Classes for .NET types outside the loaded namespaces (the BCL
exceptions such as ``ObjectDisposedException``, ``List[Int32]``, ...) are added to this module as
the bridge meets them.

Exceptions: every .NET exception becomes an instance of a class named like its .NET type that
derives from :class:`ClrError` and from a Python built-in (``ArgumentException`` -> ``ValueError``,
``InvalidOperationException`` and ``ObjectDisposedException`` -> ``RuntimeError``,
``NotSupportedException`` -> ``NotImplementedError``, ``KeyNotFoundException`` -> ``KeyError``,
``IndexOutOfRangeException`` -> ``IndexError``, ``FileNotFoundException`` -> ``FileNotFoundError``,
``IOException`` -> ``OSError``, ``OutOfMemoryException`` -> ``MemoryError``, ``FormatException`` ->
``ValueError``, ``OverflowException`` -> ``OverflowError``, calls that match no overload
(``BindingException``) -> ``TypeError``, anything else -> ``RuntimeError`` via ``ClrException``,
the class of System.Exception).
"""

from ._loader import inventory, live_handles, load_namespace as load
from ._proxies import ClrError, ClrObject, ClrType

__all__ = ["ClrError", "ClrObject", "ClrType", "inventory", "live_handles", "load"]
