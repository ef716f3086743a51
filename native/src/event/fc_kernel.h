// The exact event-driven fully connected layer (snn/event.h): argument blocks and the CPU
// kernel. All arguments were validated by the API layer before a kernel sees them.
#pragma once

#include <cstdint>
#include <vector>

namespace snn::event {

struct Callbacks;  // event/callbacks.h

// How a layer computes its spikes (snn_event_solver in snn/event.h).
enum class Solver : int32_t {
  kExact = 0,    // float64 state; every crossing found, including those within rounding of an input
  kFloat32 = 1,  // the reference simulator's float32 arithmetic and acceptance test, bit for bit
};

// One fully connected layer as the kernel reads it.
struct FcLayerArgs {
  const float* weights;  // [n_neurons, n_inputs], row-major (the public layout)
  int64_t n_inputs;
  int64_t n_neurons;
  float tau;        // membrane time constant, 2 * tau_s rounded to float32 as the reference simulator does
  float threshold;  // > 0
  int64_t buffer_size;
  const Callbacks* callbacks;  // custom neuron callbacks, or nullptr for the built-in neurons
  Solver solver;
};

// Input spikes of a batch in CSR form: sample s holds entries [offsets[s], offsets[s + 1]),
// sorted by time; times finite and >= 0; indices < n_inputs.
struct SpikeBatchView {
  int64_t batch;
  const int64_t* offsets;  // batch + 1 entries, offsets[0] = 0
  const uint32_t* indices;
  const float* times;
};

// Output of one layer for a batch: the spikes of each sample sorted by (time, neuron), and
// how many spikes each neuron fired in each sample.
struct LayerOutput {
  std::vector<int64_t> offsets;  // batch + 1
  std::vector<uint32_t> indices;
  std::vector<float> times;
  std::vector<uint32_t> neuron_counts;  // [batch, n_neurons]
  // Layers with callbacks: the traces at the end of each sample (empty otherwise).
  std::vector<float> synaptic_traces;  // [batch, n_neurons, n_inputs, n_synaptic_traces]
  std::vector<float> neuron_traces;    // [batch, n_neurons, n_neuron_traces]

  SpikeBatchView view() const {
    return SpikeBatchView{static_cast<int64_t>(offsets.size()) - 1, offsets.data(), indices.data(), times.data()};
  }
};

// Runs one layer over every sample of `input` with `threads` OpenMP workers, parallel over
// (block of neurons, sample). Every neuron's arithmetic is independent of the split, so the
// result is bit-identical for any thread count and any batching. `scratch` holds the layer's
// weights rearranged into per-block panels when the call reuses them enough (kept by the caller
// to avoid reallocating). Throws std::bad_alloc; a callback's exception as snn::Error.
void fc_forward_cpu(const FcLayerArgs& layer, const SpikeBatchView& input, int threads, std::vector<float>& scratch,
                    LayerOutput& out);

}  // namespace snn::event
