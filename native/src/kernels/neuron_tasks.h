// How the CPU neuron kernels (the neuron family, the neurons with traces, the integrate-and-fire population)
// split a [B, N] population into tasks: each task owns one batch row and a run of at most
// kMaxNeuronChunk neurons, keeps their state in small local arrays and walks time inside. Every
// neuron is computed by one task alone, so results do not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstdint>

namespace snn::cpu {

constexpr int64_t kMaxNeuronChunk = 512;  // neurons per task

// Neurons per task: at most kMaxNeuronChunk, smaller when there would be too few tasks for the threads.
inline int64_t neuron_chunk_size(int64_t batch, int64_t neurons, int threads) {
  int64_t chunk = kMaxNeuronChunk;
  auto tasks = [&](int64_t c) { return batch * ((neurons + c - 1) / c); };
  while (chunk > 16 && tasks(chunk) < 4 * static_cast<int64_t>(threads)) chunk /= 2;
  return chunk;
}

// Calls task(b, n0, n) for every batch row b and run [n0, n0 + n) of neurons, across `threads`.
template <class Task>
void for_each_neuron_chunk(int64_t batch, int64_t neurons, int threads, const Task& task) {
  if (batch == 0 || neurons == 0) return;
  const int64_t chunk = neuron_chunk_size(batch, neurons, threads);
  const int64_t per_row = (neurons + chunk - 1) / chunk;
  const int64_t tasks = batch * per_row;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && tasks > 1)
  for (int64_t k = 0; k < tasks; ++k) {
    const int64_t b = k / per_row, n0 = (k % per_row) * chunk;
    task(b, n0, std::min(chunk, neurons - n0));
  }
}

}  // namespace snn::cpu
