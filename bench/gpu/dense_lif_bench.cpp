// Dense LIF layer on one device through the C ABI: current = spikes @ W^T (snn_linear_forward), then
// the LIF recurrence over T steps with the membrane written in place (snn_neuron_forward with
// SNN_NEURON_LIF, spiking from the updated membrane). The work of
// bench/dense_lif.py's GPU rows, for machines without .NET: bench/gpu/dense_lif_torch.py runs PyTorch
// on the same inputs (bench/gpu/inputs.h's generator) and scripts/gpu-check runs both.
//
//   snn_dense_lif_bench DEVICE [T B density repeats n...]   (defaults: 500 16 0.2 10 4096 8192 16384)
//
// DEVICE is cpu or cuda. Each n: one warm-up forward, then `repeats` timed forwards (synchronised,
// steady clock around the two calls); prints one JSON line per n with the median, min and max in
// ms and the output spike count. Not a test: timings depend on the machine.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "inputs.h"
#include "snn/snn.h"

namespace {

struct Released {
  void operator()(snn_tensor* t) const { snn_tensor_release(t); }
};

bool ok(snn_status s, const char* what) {
  if (s != SNN_OK) std::fprintf(stderr, "%s: %s: %s\n", what, snn_status_name(s), snn_last_error_message());
  return s == SNN_OK;
}

snn_tensor* upload(snn_device* d, const std::vector<int64_t>& shape, const std::vector<float>& values) {
  snn_tensor* t = nullptr;
  if (!ok(snn_tensor_create(d, SNN_DTYPE_FLOAT32, static_cast<int32_t>(shape.size()), shape.data(), &t), "create")) return nullptr;
  if (!values.empty() && !ok(snn_tensor_upload(t, values.data(), values.size() * sizeof(float)), "upload")) {
    snn_tensor_release(t);
    return nullptr;
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || (std::strcmp(argv[1], "cpu") != 0 && std::strcmp(argv[1], "cuda") != 0)) {
    std::fprintf(stderr, "usage: %s cpu|cuda [T B density repeats n...]\n", argv[0]);
    return 2;
  }
  const snn_device_kind kind = std::strcmp(argv[1], "cuda") == 0 ? SNN_DEVICE_CUDA : SNN_DEVICE_CPU;
  const int64_t T = argc > 2 ? std::atoll(argv[2]) : 500, B = argc > 3 ? std::atoll(argv[3]) : 16;
  const double density = argc > 4 ? std::atof(argv[4]) : 0.2;
  const int repeats = argc > 5 ? std::atoi(argv[5]) : 10;
  std::vector<int64_t> sizes;
  for (int k = 6; k < argc; ++k) sizes.push_back(std::atoll(argv[k]));
  if (sizes.empty()) sizes = {4096, 8192, 16384};

  snn_device* device = nullptr;
  if (!ok(snn_device_create(kind, 0, &device), "device")) return 1;
  snn_device_info info{};
  snn_device_get_info(device, &info);
  for (const int64_t n : sizes) {
    const std::vector<float> x = bench_inputs::spikes(T * B * n, density, 1);
    const std::vector<float> w = bench_inputs::weights(n * n, n, 2);
    using Tensor = std::unique_ptr<snn_tensor, Released>;
    Tensor spikes_in(upload(device, {T, B, n}, x)), weight(upload(device, {n, n}, w));
    Tensor current(upload(device, {T, B, n}, {})), spikes(upload(device, {T, B, n}, {}));
    if (!spikes_in || !weight || !current || !spikes) return 1;
    snn_neuron_params params{};
    params.model = SNN_NEURON_LIF;
    params.spike_timing = SNN_SPIKE_AFTER_INPUT;
    params.reset_mode = SNN_RESET_SUBTRACT;
    params.beta = bench_inputs::kBeta;
    params.threshold = bench_inputs::kThreshold;
    snn_neuron_record in_place{};
    in_place.membrane = current.get();
    std::vector<double> ms;
    for (int r = 0; r <= repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      if (!ok(snn_linear_forward(spikes_in.get(), weight.get(), nullptr, current.get()), "linear") ||
          !ok(snn_neuron_forward(current.get(), &params, nullptr, nullptr, spikes.get(), &in_place), "lif") ||
          !ok(snn_device_synchronize(device), "synchronize"))
        return 1;
      const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (r > 0) ms.push_back(elapsed);  // the first forward warms up (cuBLAS handles, kernel loading)
    }
    std::vector<float> out(static_cast<size_t>(T * B * n));
    if (!ok(snn_tensor_download(spikes.get(), out.data(), out.size() * sizeof(float)), "download")) return 1;
    double count = 0;
    for (const float s : out) count += s;
    std::sort(ms.begin(), ms.end());
    std::printf(
        "{\"impl\": \"snn\", \"device\": \"%s\", \"n\": %lld, \"T\": %lld, \"B\": %lld, \"median_ms\": %.3f, "
        "\"min_ms\": %.3f, \"max_ms\": %.3f, \"spikes\": %.0f}\n",
        info.name, static_cast<long long>(n), static_cast<long long>(T), static_cast<long long>(B), ms[ms.size() / 2],
        ms.front(), ms.back(), count);
    std::fflush(stdout);
  }
  snn_device_release(device);
  return 0;
}
