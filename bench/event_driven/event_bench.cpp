// Times the exact event-driven simulator (snn/event.h) on the two networks of issue 4, the
// workloads EvSpikeSim's published medians were measured on:
//   small: 784 -> 1024 -> 10,              weights U(-1, 1), U(-0.1, 0.1)
//   large: 1000 -> 4096 -> 4096 -> 10,     weights U(-1, 1), U(-0.07, 0.07), U(-0.05, 0.05)
// Every sample: 200 input spikes with uniformly random indices and times in [0, 0.1) s;
// tau_s = 0.01 and threshold 0.5 in every layer. A fresh sample per repetition.
//   snn_event_bench small|large [threads=0] [repeats=50] [batch=1] [warmup=3] [callbacks.so|-] [exact|float32]
// With a callback library (a source implementing <snn/event_callbacks.h> compiled to a shared
// library, e.g. examples/event_driven/empty.cpp) every layer runs its callbacks: that measures
// what custom callbacks cost over the built-in neurons.
// Prints, per layer, the mean output spikes per sample; then the median, quartiles and range of
// the milliseconds per sample, and synaptic events (input spike x neuron updates) per second.
// Not a test: timings depend on the host (see docs/benchmarks.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "snn/snn.h"

namespace {

bool ok(snn_status s) {
  if (s != SNN_OK) std::fprintf(stderr, "%s: %s\n", snn_status_name(s), snn_last_error_message());
  return s == SNN_OK;
}

struct Layer {
  int64_t n_inputs, n_neurons;
  float bound;  // weights U(-bound, bound)
};

// The layers of the two cases (empty for an unknown name).
std::vector<Layer> network(const std::string& name) {
  if (name == "small") return std::vector<Layer>{{784, 1024, 1.0f}, {1024, 10, 0.1f}};
  if (name == "large") return std::vector<Layer>{{1000, 4096, 1.0f}, {4096, 4096, 0.07f}, {4096, 10, 0.05f}};
  return {};
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  const double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "small";
  const int32_t threads = argc > 2 ? std::atoi(argv[2]) : 0;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 50;
  const int64_t batch = argc > 4 ? std::atoll(argv[4]) : 1;
  const int warmup = argc > 5 ? std::atoi(argv[5]) : 3;
  const char* callbacks = argc > 6 && std::strcmp(argv[6], "-") != 0 ? argv[6] : nullptr;
  // The solver: exact (the default) or float32 (EvSpikeSim's arithmetic, compat="evspikesim").
  const int32_t solver = argc > 7 && std::strcmp(argv[7], "float32") == 0 ? SNN_EVENT_SOLVER_FLOAT32 : SNN_EVENT_SOLVER_EXACT;
  const std::vector<Layer> layers = network(which);
  if (layers.empty()) {
    std::fprintf(stderr, "usage: %s small|large [threads] [repeats] [batch] [warmup]\n", argv[0]);
    return 2;
  }
  if (repeats < 1 || batch < 1 || warmup < 0) {
    std::fprintf(stderr, "repeats and batch must be >= 1, warmup >= 0\n");
    return 2;
  }

  snn_device* dev = nullptr;
  if (!ok(snn_device_create(SNN_DEVICE_CPU, 0, &dev)) || !ok(snn_device_set_num_threads(dev, threads))) return 1;
  snn_device_info info{};
  if (!ok(snn_device_get_info(dev, &info))) return 1;
  snn_event_network* net = nullptr;
  if (!ok(snn_event_network_create_with_solver(dev, solver, &net))) return 1;
  std::vector<snn_tensor*> weights;
  for (size_t l = 0; l < layers.size(); ++l) {
    const int64_t shape[2] = {layers[l].n_neurons, layers[l].n_inputs};
    snn_tensor* w = nullptr;
    snn_distribution init{};
    init.kind = SNN_DISTRIBUTION_UNIFORM;
    init.a = -layers[l].bound;
    init.b = layers[l].bound;
    const snn_event_fc_params p{layers[l].n_inputs, layers[l].n_neurons, 0.01f, 0.5f, 64};
    int64_t index = 0;
    if (!ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 2, shape, &w)) || !ok(snn_random_fill(w, &init, 1, l)) ||
        !ok(callbacks ? snn_event_network_add_fc_layer_from_library(net, &p, w, callbacks, &index)
                      : snn_event_network_add_fc_layer(net, &p, w, &index)))
      return 1;
    weights.push_back(w);
  }

  // Inputs: 200 spikes per sample, index = floor(u * n_inputs), time = 0.1 * u', sorted by time.
  const int64_t n_spikes = 200, n_in = layers.front().n_inputs;
  const int64_t total_samples = static_cast<int64_t>(warmup + repeats) * batch;
  const int64_t u_shape[1] = {total_samples * n_spikes * 2};
  snn_tensor* u = nullptr;
  if (!ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 1, u_shape, &u)) || !ok(snn_random_uniform(u, 7, 0))) return 1;
  std::vector<float> uniforms(static_cast<size_t>(u_shape[0]));
  if (!ok(snn_tensor_download(u, uniforms.data(), uniforms.size() * sizeof(float)))) return 1;
  std::vector<uint32_t> indices(static_cast<size_t>(total_samples * n_spikes));
  std::vector<float> times(indices.size());
  for (int64_t s = 0; s < total_samples; ++s) {
    std::vector<std::pair<float, uint32_t>> sample;
    for (int64_t k = 0; k < n_spikes; ++k) {
      const size_t i = static_cast<size_t>((s * n_spikes + k) * 2);
      const auto index = std::min(static_cast<uint32_t>(uniforms[i] * static_cast<float>(n_in)), static_cast<uint32_t>(n_in - 1));
      sample.emplace_back(0.1f * uniforms[i + 1], index);
    }
    std::sort(sample.begin(), sample.end());
    for (int64_t k = 0; k < n_spikes; ++k) {
      indices[static_cast<size_t>(s * n_spikes + k)] = sample[static_cast<size_t>(k)].second;
      times[static_cast<size_t>(s * n_spikes + k)] = sample[static_cast<size_t>(k)].first;
    }
  }
  std::vector<int64_t> offsets(static_cast<size_t>(batch) + 1);
  for (int64_t b = 0; b <= batch; ++b) offsets[static_cast<size_t>(b)] = b * n_spikes;

  std::vector<double> ms_per_sample;
  std::vector<double> layer_spikes(layers.size(), 0.0);
  double events = 0.0;
  for (int r = 0; r < warmup + repeats; ++r) {
    const size_t first = static_cast<size_t>(r * batch * n_spikes);
    const auto t0 = std::chrono::steady_clock::now();
    if (!ok(snn_event_network_infer(net, batch, offsets.data(), indices.data() + first, times.data() + first))) return 1;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r < warmup) continue;
    ms_per_sample.push_back(seconds * 1e3 / static_cast<double>(batch));
    for (int64_t b = 0; b < batch; ++b) {
      double inputs = static_cast<double>(n_spikes);
      for (size_t l = 0; l < layers.size(); ++l) {
        int64_t n = 0;
        if (!ok(snn_event_network_spike_count(net, static_cast<int64_t>(l), b, &n))) return 1;
        layer_spikes[l] += static_cast<double>(n);
        events += inputs * static_cast<double>(layers[l].n_neurons);
        inputs = static_cast<double>(n);
      }
    }
  }
  const double samples = static_cast<double>(repeats) * static_cast<double>(batch);
  const double total_ms = std::accumulate(ms_per_sample.begin(), ms_per_sample.end(), 0.0) * static_cast<double>(batch);
  std::printf("%s solver: ", solver == SNN_EVENT_SOLVER_EXACT ? "exact" : "float32");
  std::printf("case %s on %s, %d threads, batch %lld, %d repeats after %d warm-up%s%s\n", which.c_str(), info.name,
              info.num_threads, static_cast<long long>(batch), repeats, warmup, callbacks ? ", callbacks " : "",
              callbacks ? callbacks : "");
  for (size_t l = 0; l < layers.size(); ++l) {
    std::printf("  layer %zu (%lld -> %lld): %.1f spikes per sample\n", l, static_cast<long long>(layers[l].n_inputs),
                static_cast<long long>(layers[l].n_neurons), layer_spikes[l] / samples);
  }
  std::printf("  ms per sample: median %.3f, quartiles %.3f .. %.3f, range %.3f .. %.3f\n", quantile(ms_per_sample, 0.5),
              quantile(ms_per_sample, 0.25), quantile(ms_per_sample, 0.75), quantile(ms_per_sample, 0.0),
              quantile(ms_per_sample, 1.0));
  std::printf("  synaptic events per second: %.3g (%.3g events per sample)\n", events / (total_ms * 1e-3),
              events / samples);

  for (snn_tensor* w : weights) snn_tensor_release(w);
  snn_tensor_release(u);
  snn_event_network_release(net);
  snn_device_release(dev);
  return 0;
}
