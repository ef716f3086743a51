// Leak accounting reads process-wide handle counters, so tests must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
