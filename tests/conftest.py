import os
import sys

# Tests run against the repository's package (python/snn with its built _runtime).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
