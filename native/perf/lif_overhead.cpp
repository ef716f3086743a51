// Measures what the LIF recurrence adds on top of the GEMM that feeds it, for one dense SNN
// layer: current = linear(spikes_in) over [T*B, n_in] x [n_out, n_in], then lif(current).
//   snn_lif_overhead [T B n_in n_out threads repeats]   (defaults 500 16 1024 1024 0 5)
// Prints the best-of-N time of each and the ratio, for LIF with the membrane written in place
// over the current (inference) and with separate membrane and state tensors (training).
// Not a test: timings depend on the host.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "snn/snn.h"

namespace {
bool ok(snn_status s) {
  if (s != SNN_OK) std::fprintf(stderr, "%s: %s\n", snn_status_name(s), snn_last_error_message());
  return s == SNN_OK;
}
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  const int64_t T = argc > 1 ? std::atoll(argv[1]) : 500, B = argc > 2 ? std::atoll(argv[2]) : 16;
  const int64_t n_in = argc > 3 ? std::atoll(argv[3]) : 1024, n_out = argc > 4 ? std::atoll(argv[4]) : 1024;
  const int32_t threads = argc > 5 ? std::atoi(argv[5]) : 0;
  const int repeats = argc > 6 ? std::atoi(argv[6]) : 5;

  snn_device* dev = nullptr;
  if (!ok(snn_device_create(SNN_DEVICE_CPU, 0, &dev)) || !ok(snn_device_set_num_threads(dev, threads))) return 1;
  snn_device_info info{};
  snn_device_get_info(dev, &info);

  const int64_t in_shape[3] = {T, B, n_in}, out_shape[3] = {T, B, n_out}, w_shape[2] = {n_out, n_in};
  const int64_t p_shape[2] = {B, n_in}, b_shape[1] = {n_out};
  const int64_t s_shape[2] = {B, n_out};
  snn_tensor *p = nullptr, *spikes_in = nullptr, *w = nullptr, *bias = nullptr, *current = nullptr, *spikes = nullptr;
  snn_tensor *membrane = nullptr, *state = nullptr;
  if (!ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 2, p_shape, &p)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 3, in_shape, &spikes_in)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 2, w_shape, &w)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 1, b_shape, &bias)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 3, out_shape, &current)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 3, out_shape, &spikes)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 3, out_shape, &membrane)) ||
      !ok(snn_tensor_create(dev, SNN_DTYPE_FLOAT32, 2, s_shape, &state)))
    return 1;
  snn_tensor_fill(p, 0.2);
  snn_poisson_encode(p, 1, 0, spikes_in);
  snn_random_uniform(w, 2, 0);
  snn_tensor_fill(bias, -0.2);
  snn_neuron_params params{};  // LIF, integrate then spike
  params.model = SNN_NEURON_LIF;
  params.spike_timing = SNN_SPIKE_AFTER_INPUT;
  params.reset_mode = SNN_RESET_SUBTRACT;
  params.beta = 0.95f;
  params.threshold = 1.0f;
  snn_neuron_state carried{};
  carried.membrane = state;
  snn_neuron_record separate{}, in_place{};
  separate.membrane = membrane;
  in_place.membrane = current;

  double gemm = 1e30, lif = 1e30, lif_train = 1e30, poisson = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    if (!ok(snn_linear_forward(spikes_in, w, bias, current))) return 1;
    gemm = std::min(gemm, seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    if (!ok(snn_neuron_forward(current, &params, nullptr, &carried, spikes, &separate))) return 1;  // separate membrane
    lif_train = std::min(lif_train, seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    if (!ok(snn_neuron_forward(current, &params, nullptr, nullptr, spikes, &in_place))) return 1;  // membrane in place
    lif = std::min(lif, seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    if (!ok(snn_poisson_encode(p, 1, static_cast<uint64_t>(r), spikes_in))) return 1;
    poisson = std::min(poisson, seconds_since(t0));
  }
  std::printf("T=%lld B=%lld %lld->%lld, %d threads (%s)\n", static_cast<long long>(T), static_cast<long long>(B),
              static_cast<long long>(n_in), static_cast<long long>(n_out), info.num_threads, info.name);
  std::printf("linear %.1f ms (%.1f GFLOP/s)  poisson %.1f ms\n", gemm * 1e3, 2.0 * T * B * n_in * n_out / gemm * 1e-9,
              poisson * 1e3);
  std::printf("lif in place        %.1f ms = %.1f%% of linear\n", lif * 1e3, 100.0 * lif / gemm);
  std::printf("lif membrane+state  %.1f ms = %.1f%% of linear\n", lif_train * 1e3, 100.0 * lif_train / gemm);
  for (snn_tensor* t : {p, spikes_in, w, bias, current, spikes, membrane, state}) snn_tensor_release(t);
  snn_device_release(dev);
  return 0;
}
