// Sparse-input projection on the CPU: output[r, :] = bias + sum over the non-zero inputs
// x[r, k], in ascending k, of x[r, k] * weight[:, k].
//
// Spike trains are mostly zeros (and the non-zeros mostly exactly 1), so instead of a dense
// GEMM each row adds the weight columns of its non-zero inputs. Layout and order:
//   - The weights are copied per call into column tiles, transposed: wt[tile][k][kTile lanes],
//     zero past n_out, so the inner loop reads one contiguous, aligned run of a tile's row k.
//     The copy costs about as much as checking a cached copy against the weights would (both
//     read every weight once), so nothing is cached between calls and weights may change
//     freely between them.
//   - Rows are processed in chunks (OpenMP, dynamic): each chunk first compresses its rows into
//     lists of non-zero indices (and values, unless every non-zero of the row is exactly 1.0),
//     then for every tile and every block of kBlockInputs inputs (32 KiB of the tile, kept in
//     L1), every row of the chunk adds its non-zeros of that block in registers; running sums
//     wait in a per-chunk buffer between blocks.
//   - Each output element is bias (or 0), then + x * w for the non-zeros in ascending k, in
//     float32 with separate multiply and add (no FMA: the build uses -ffp-contract=off), and
//     x * w is replaced by w when x is exactly 1 (the same bits). Nothing depends on the chunk,
//     the tile width, the thread count or the instruction set, so results are bit-identical at
//     any thread count and on any x86-64 (AVX-512, AVX2 and baseline clones via target_clones).
#include "kernels/linear_sparse_cpu.h"
#include "kernels/sampled_density.h"

#include <immintrin.h>
#include <omp.h>
#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/env.h"
#include "core/error.h"
#include "core/format.h"

namespace snn::cpu {
namespace {

typedef float v16 __attribute__((vector_size(64)));                 // aligned: the weight tiles
typedef float v16u __attribute__((vector_size(64), aligned(4)));    // unaligned: bias and output rows

// A tile is kTile output columns (four 16-lane accumulators, enough independent adds to keep
// the adder busy) by kBlockInputs inputs: 32 KiB of weights, which stay in the 48 KiB L1 while
// every row of a chunk adds its non-zeros from that block. Measured on the 2-core EPYC VMs
// (docs/benchmarks-dense-lif.md): 64 x 128 beat 128 x 64, 64 x 256, 32 x 128 and unblocked
// tiles (64 or 128 x n_in, L2-resident) by 10-30% at densities 0.2 and 0.5.
constexpr int64_t kTile = 64;
constexpr int64_t kBlockInputs = 128;
constexpr int64_t kChunkElements = 1 << 20; // rows * n_in of a chunk: bounds its index buffers
constexpr int64_t kMaxChunkRows = 1024;

// A growable, 64-byte aligned host buffer kept between calls: a 4 KiB page fault costs about
// 10 us in our VMs, so allocating the scratch per call would cost more than the kernel saves.
class Scratch {
 public:
  ~Scratch() { std::free(data_); }
  void* get(size_t bytes) {
    if (bytes > capacity_) {
      std::free(data_);
      data_ = nullptr;
      capacity_ = 0;
      constexpr size_t kHuge = size_t{2} << 20;
      const bool huge = bytes >= kHuge;
      const size_t alignment = huge ? kHuge : 64;
      const size_t rounded = (bytes + alignment - 1) / alignment * alignment;
      void* p = nullptr;
      if (rounded < bytes || posix_memalign(&p, alignment, rounded) != 0 || p == nullptr) {
        fail(SNN_ERROR_OUT_OF_MEMORY, str("could not allocate ", bytes,
                                          " bytes of scratch for the sparse linear path; use smaller shapes"));
      }
#ifdef MADV_HUGEPAGE
      if (huge) (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
      data_ = p;
      capacity_ = rounded;
    }
    return data_;
  }

 private:
  void* data_ = nullptr;
  size_t capacity_ = 0;
};

// One scratch set for the process, used under a lock (the dense path serialises on OpenBLAS's
// lock the same way). It holds the transposed weights of the largest layer seen and each
// worker's index lists.
std::mutex g_sparse_mutex;
Scratch g_weights, g_bias, g_lists;

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// Tile width: kTile lanes, or 32 or 16 for layers with fewer outputs.
int64_t tile_width(int64_t n_out) {
  int64_t width = kTile;
  while (width > 16 && width / 2 >= n_out) width /= 2;
  return width;
}

// A chunk's compressed rows: for row i, idx[start[i] .. start[i + 1]) are its non-zero inputs
// in ascending order and val[...] their values; binary[i] says they are all exactly 1.
// bounds[i * (kblocks + 1) + b] is where block b (inputs [b * kblock, (b + 1) * kblock)) of
// row i's list begins, relative to start[i]; partial[i * width ...] holds row i's running sums
// between blocks.
struct Lists {
  int32_t* idx;
  float* val;
  int64_t* start;
  int32_t* bounds;
  uint8_t* binary;
  float* partial;
};

struct Problem {
  const float* input;
  const float* wt;    // [tiles][n_in][width]
  const float* bias;  // [tiles * width] zero-padded, or null
  float* output;
  int64_t rows, n_out, n_in, width, tiles, chunk_rows, kblock, kblocks;
};

template <int U>
__attribute__((always_inline)) inline void tile_rows(const Problem& p, const Lists& l, int64_t r0, int64_t nr,
                                                     int64_t tile) {
  constexpr int64_t W = 16 * U;
  const float* wt = p.wt + tile * p.n_in * W;
  const int64_t j0 = tile * W, valid = std::min<int64_t>(W, p.n_out - j0);
  const int64_t nb = p.kblocks;
  for (int64_t b = 0; b < nb; ++b) {
    const bool first = b == 0, last = b == nb - 1;
    for (int64_t i = 0; i < nr; ++i) {
      v16 acc[U];
      v16* part = reinterpret_cast<v16*>(l.partial + i * W);
      if (!first) {
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) acc[u] = part[u];
      } else if (p.bias != nullptr) {
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) acc[u] = *reinterpret_cast<const v16*>(p.bias + j0 + 16 * u);
      } else {
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) acc[u] = v16{};
      }
      const int32_t* bounds = l.bounds + i * (nb + 1) + b;
      const int64_t e0 = l.start[i] + bounds[0], e1 = l.start[i] + bounds[1];
      const int32_t* idx = l.idx;
      if (l.binary[i]) {
        for (int64_t e = e0; e < e1; ++e) {
          const v16* w = reinterpret_cast<const v16*>(wt + static_cast<int64_t>(idx[e]) * W);
#pragma GCC unroll 8
          for (int u = 0; u < U; ++u) acc[u] += w[u];
        }
      } else {
        for (int64_t e = e0; e < e1; ++e) {
          const v16* w = reinterpret_cast<const v16*>(wt + static_cast<int64_t>(idx[e]) * W);
          const float x = l.val[e];
#pragma GCC unroll 8
          for (int u = 0; u < U; ++u) acc[u] += x * w[u];
        }
      }
      if (!last) {
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) part[u] = acc[u];
        continue;
      }
      float* out = p.output + (r0 + i) * p.n_out + j0;
      if (valid == W) {
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) *reinterpret_cast<v16u*>(out + 16 * u) = acc[u];
      } else {
        alignas(64) float tmp[W];
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) *reinterpret_cast<v16*>(tmp + 16 * u) = acc[u];
        std::memcpy(out, tmp, static_cast<size_t>(valid) * sizeof(float));
      }
    }
  }
}

// Compression of one input row into its non-zero indices and values (NaN counts as non-zero,
// -0 as zero). Returns the count and clears *binary when a non-zero is not exactly 1. The
// vector versions may write up to 16 elements past the count: the lists carry that slack.
using CompressFn = int64_t (*)(const float* x, int64_t k, int32_t* idx, float* val, bool* binary);

int64_t compress_scalar(const float* x, int64_t k, int32_t* idx, float* val, bool* binary) {
  int64_t c = 0;
  bool bin = true;
  for (int64_t i = 0; i < k; ++i) {  // branch-free: spikes are random, branches would miss
    const float v = x[i];
    idx[c] = static_cast<int32_t>(i);
    val[c] = v;
    const bool nonzero = !(v == 0.0f);
    bin &= !nonzero || v == 1.0f;
    c += nonzero;
  }
  *binary = bin;
  return c;
}

__attribute__((target("avx512f,popcnt"))) int64_t compress_avx512(const float* x, int64_t k, int32_t* idx,
                                                                 float* val, bool* binary) {
  const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
  const __m512i step = _mm512_set1_epi32(16);
  __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  int64_t c = 0;
  unsigned not_binary = 0;
  for (int64_t i = 0; i < k; i += 16) {
    const __mmask16 valid = k - i >= 16 ? __mmask16(0xffff) : __mmask16((1u << (k - i)) - 1);
    const __m512 v = _mm512_maskz_loadu_ps(valid, x + i);
    const __mmask16 nz = _mm512_mask_cmp_ps_mask(valid, v, zero, _CMP_NEQ_UQ);
    const __mmask16 ones = _mm512_cmp_ps_mask(v, one, _CMP_EQ_OQ);
    not_binary |= static_cast<unsigned>(nz & ~ones);
    _mm512_storeu_si512(idx + c, _mm512_maskz_compress_epi32(nz, iota));
    _mm512_storeu_ps(val + c, _mm512_maskz_compress_ps(nz, v));
    c += __builtin_popcount(nz);
    iota = _mm512_add_epi32(iota, step);
  }
  *binary = not_binary == 0;
  return c;
}

// AVX2 has no compress: an 8-lane mask selects a permutation that moves the chosen lanes first.
struct CompressTable {
  alignas(32) int32_t perm[256][8];
  CompressTable() {
    for (int m = 0; m < 256; ++m) {
      int n = 0;
      for (int b = 0; b < 8; ++b)
        if (m & (1 << b)) perm[m][n++] = b;
      while (n < 8) perm[m][n++] = 0;
    }
  }
};
const CompressTable g_compress_table;

__attribute__((target("avx2,popcnt"))) int64_t compress_avx2(const float* x, int64_t k, int32_t* idx, float* val,
                                                            bool* binary) {
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
  const __m256i step = _mm256_set1_epi32(8);
  __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  int64_t c = 0, i = 0;
  int not_binary = 0;
  for (; i + 8 <= k; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    const int nz = _mm256_movemask_ps(_mm256_cmp_ps(v, zero, _CMP_NEQ_UQ));
    const int ones = _mm256_movemask_ps(_mm256_cmp_ps(v, one, _CMP_EQ_OQ));
    not_binary |= nz & ~ones;
    const __m256i perm = _mm256_load_si256(reinterpret_cast<const __m256i*>(g_compress_table.perm[nz]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(idx + c), _mm256_permutevar8x32_epi32(iota, perm));
    _mm256_storeu_ps(val + c, _mm256_permutevar8x32_ps(v, perm));
    c += __builtin_popcount(static_cast<unsigned>(nz));
    iota = _mm256_add_epi32(iota, step);
  }
  bool tail_binary = true;
  for (; i < k; ++i) {
    const float v = x[i];
    idx[c] = static_cast<int32_t>(i);
    val[c] = v;
    const bool nonzero = !(v == 0.0f);
    tail_binary &= !nonzero || v == 1.0f;
    c += nonzero;
  }
  *binary = not_binary == 0 && tail_binary;
  return c;
}

// The widest compressor the CPU runs. SNN_LINEAR_SPARSE_ISA=avx2|scalar, read once when the
// library loads, selects a narrower one, so that tests cover every version on one machine.
CompressFn pick_compress() {
  __builtin_cpu_init();
  const char* isa = std::getenv("SNN_LINEAR_SPARSE_ISA");
  const bool want512 = isa == nullptr, want256 = want512 || std::strcmp(isa, "avx2") == 0;
  if (want512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("popcnt")) return compress_avx512;
  if (want256 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) return compress_avx2;
  return compress_scalar;
}
const CompressFn g_compress = pick_compress();

// Accumulates every tile for rows [r0, r0 + nr), compressed in `l`.
__attribute__((target_clones("avx512f", "avx2", "default"))) void accumulate(const Problem& p, const Lists& l,
                                                                          int64_t r0, int64_t nr) {
  for (int64_t t = 0; t < p.tiles; ++t) {
    switch (p.width) {
      case 64: tile_rows<4>(p, l, r0, nr, t); break;
      case 32: tile_rows<2>(p, l, r0, nr, t); break;
      default: tile_rows<1>(p, l, r0, nr, t); break;
    }
  }
}

void run_chunk(const Problem& p, const Lists& l, int64_t r0, int64_t nr) {
  int64_t count = 0;
  for (int64_t i = 0; i < nr; ++i) {
    l.start[i] = count;
    bool binary = true;
    count += g_compress(p.input + (r0 + i) * p.n_in, p.n_in, l.idx + count, l.val + count, &binary);
    l.binary[i] = binary;
  }
  l.start[nr] = count;
  const int64_t nb = p.kblocks;
  for (int64_t i = 0; i < nr; ++i) {  // where each block of inputs begins in row i's list
    const int32_t* first = l.idx + l.start[i];
    const int32_t* end = l.idx + l.start[i + 1];
    const int32_t* e = first;
    int32_t* bounds = l.bounds + i * (nb + 1);
    for (int64_t b = 0; b < nb; ++b) {
      const int64_t k0 = b * p.kblock;
      while (e < end && *e < k0) ++e;
      bounds[b] = static_cast<int32_t>(e - first);
    }
    bounds[nb] = static_cast<int32_t>(end - first);
  }
  accumulate(p, l, r0, nr);
}

}  // namespace

LinearPath choose_linear_path(const LinearArgs& a) {
  if (env_is("SNN_LINEAR_PATH", "dense")) return LinearPath::kDense;
  if (env_is("SNN_LINEAR_PATH", "sparse")) return LinearPath::kSparse;
  if (a.rows < kSparseMinRows || a.inputs == 0 || a.outputs == 0) return LinearPath::kDense;
  const double density = sampled_density(a.input, a.rows, a.inputs, kSparseSampleRows);
  return density <= kSparseMaxDensity ? LinearPath::kSparse : LinearPath::kDense;
}

bool linear_sparse(const LinearArgs& a, int threads) {
  const int64_t m = a.rows, n = a.outputs, k = a.inputs;
  if (m == 0 || n == 0) return true;
  if (k > INT32_MAX) return false;  // indices are int32; the API layer already limits n_in to that
  const int64_t width = tile_width(n);
  const int64_t kblock = std::min(k, kBlockInputs);
  const int64_t kblocks_acc = (k + kblock - 1) / kblock;
  const int64_t tiles = (n + width - 1) / width;
  const int64_t chunk_rows = std::max<int64_t>(1, std::min<int64_t>(kMaxChunkRows, kChunkElements / std::max<int64_t>(k, 1)));
  const int64_t chunks_min = (m + chunk_rows - 1) / chunk_rows;
  // At least one chunk per thread when there are rows enough, a multiple of the thread count otherwise.
  const int64_t chunks = std::min<int64_t>(m, round_up(std::max<int64_t>(chunks_min, threads), threads));
  const int64_t rows_per_chunk = (m + chunks - 1) / chunks;

  std::lock_guard<std::mutex> lock(g_sparse_mutex);
  float* wt = static_cast<float*>(g_weights.get(static_cast<size_t>(tiles * width * k) * sizeof(float)));
  float* bias = nullptr;
  if (a.bias != nullptr) {
    bias = static_cast<float*>(g_bias.get(static_cast<size_t>(tiles * width) * sizeof(float)));
    std::memcpy(bias, a.bias, static_cast<size_t>(n) * sizeof(float));
    std::memset(bias + n, 0, static_cast<size_t>(tiles * width - n) * sizeof(float));
  }

  // Transpose into tiles, in blocks of 256 inputs, checking that every weight is finite.
  constexpr int64_t kBlockK = 256;
  const int64_t kblocks = (k + kBlockK - 1) / kBlockK;
  int finite = 1;
#pragma omp parallel for schedule(static) num_threads(threads) reduction(&& : finite) if (threads > 1 && n * k > (int64_t{1} << 16))
  for (int64_t job = 0; job < tiles * kblocks; ++job) {
    const int64_t t = job / kblocks, k0 = (job % kblocks) * kBlockK, k1 = std::min(k, k0 + kBlockK);
    float* dst = wt + t * k * width;
    const int64_t j0 = t * width, valid = std::min(width, n - j0);
    bool ok = true;
    for (int64_t b0 = k0; b0 < k1; b0 += 16) {  // 16 inputs x the tile's columns: 4 KiB each side, in L1
      const int64_t b1 = std::min(k1, b0 + 16);
      for (int64_t j = 0; j < valid; ++j) {
        const float* src = a.weight + (j0 + j) * k;
        for (int64_t kk = b0; kk < b1; ++kk) {
          const float w = src[kk];
          ok &= std::isfinite(w);
          dst[kk * width + j] = w;
        }
      }
      for (int64_t kk = b0; kk < b1; ++kk) {
        for (int64_t j = valid; j < width; ++j) dst[kk * width + j] = 0.0f;
      }
    }
    finite = finite && ok;
  }
  if (!finite) return false;

  // Per worker: indices and values for a chunk's worst case (every input non-zero).
  const int workers = static_cast<int>(std::min<int64_t>(threads, chunks));
  const size_t list_elems = static_cast<size_t>(rows_per_chunk * k + 16);  // + the compressors' slack
  const size_t partial_bytes = static_cast<size_t>(rows_per_chunk * width) * sizeof(float);
  const size_t bounds_elems = static_cast<size_t>(rows_per_chunk * (kblocks_acc + 1));
  const size_t per_worker = static_cast<size_t>(
      round_up(static_cast<int64_t>(partial_bytes + list_elems * (sizeof(int32_t) + sizeof(float)) +
                                    (rows_per_chunk + 1) * sizeof(int64_t) + bounds_elems * sizeof(int32_t) +
                                    rows_per_chunk),
               64));
  char* lists = static_cast<char*>(g_lists.get(per_worker * static_cast<size_t>(workers)));

  Problem p{a.input, wt, bias, a.output, m, n, k, width, tiles, rows_per_chunk, kblock, kblocks_acc};
#pragma omp parallel num_threads(workers) if (workers > 1)
  {
    char* mine = lists + per_worker * static_cast<size_t>(omp_get_thread_num());
    Lists l{};
    l.partial = reinterpret_cast<float*>(mine);  // first: 64-byte aligned
    l.idx = reinterpret_cast<int32_t*>(mine + partial_bytes);
    l.val = reinterpret_cast<float*>(mine + partial_bytes + list_elems * sizeof(int32_t));
    l.start = reinterpret_cast<int64_t*>(mine + partial_bytes + list_elems * (sizeof(int32_t) + sizeof(float)));
    l.bounds = reinterpret_cast<int32_t*>(l.start + rows_per_chunk + 1);
    l.binary = reinterpret_cast<uint8_t*>(l.bounds + bounds_elems);
#pragma omp for schedule(dynamic, 1)
    for (int64_t c = 0; c < chunks; ++c) {
      const int64_t r0 = c * rows_per_chunk;
      if (r0 < m) run_chunk(p, l, r0, std::min(rows_per_chunk, m - r0));
    }
  }
  return true;
}

}  // namespace snn::cpu
