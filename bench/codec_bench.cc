// Codec throughput: encode, decode with m data fragments lost, raw ISA-L
// (to see the engine wrapper's cost) and a memcpy baseline, all on one
// stripe reused every iteration (SplitMix64 data; zeros would flatter).
// Bytes processed are FILE DATA (k x fragment bytes) for the codec and bytes
// copied for memcpy. Arguments: k, m, fragment bytes.
#include <benchmark/benchmark.h>
#include <isa-l/erasure_code.h>

#include <cstring>
#include <new>
#include <vector>

#include "engine/codec.h"
#include "engine/random.h"

namespace cairn {
namespace {

// One stripe in one 64-byte aligned buffer, with views for the codec and
// for raw ISA-L.
class BenchStripe {
 public:
  BenchStripe(uint32_t k, uint32_t m, size_t fragment_bytes)
      : scheme_(Scheme::erasure(k, m)),
        fragment_bytes_(fragment_bytes),
        bytes_(scheme_.width() * fragment_bytes),
        data_(static_cast<std::byte*>(::operator new (bytes_, std::align_val_t{64}))),
        codec_(std::move(Codec::create(scheme_)).value()) {
    SplitMix64 rng(1);
    for (size_t i = 0; i < bytes_; i += 8) {
      uint64_t word = rng.next();
      std::memcpy(data_ + i, &word, std::min<size_t>(8, bytes_ - i));
    }
    for (uint32_t i = 0; i < scheme_.width(); ++i) {
      std::span<std::byte> f(data_ + i * fragment_bytes, fragment_bytes);
      all_.push_back(f);
      auto* raw = reinterpret_cast<unsigned char*>(f.data());
      if (i < k) {
        data_views_.push_back(f);
        raw_data_.push_back(raw);
      } else {
        parity_views_.push_back(f);
        raw_parity_.push_back(raw);
      }
    }
    CAIRN_ASSERT(codec_.encode(data_views_, parity_views_).is_ok());
  }
  ~BenchStripe() { ::operator delete (data_, std::align_val_t{64}); }
  BenchStripe(const BenchStripe&) = delete;
  BenchStripe& operator=(const BenchStripe&) = delete;

  const Scheme& scheme() const { return scheme_; }
  size_t file_bytes() const { return scheme_.k * fragment_bytes_; }
  size_t stripe_bytes() const { return bytes_; }
  std::byte* bytes() { return data_; }
  Codec& codec() { return codec_; }
  std::vector<std::span<const std::byte>>& data() { return data_views_; }
  std::vector<std::span<std::byte>>& parity() { return parity_views_; }
  std::vector<std::span<std::byte>>& all() { return all_; }
  std::vector<unsigned char*>& raw_data() { return raw_data_; }
  std::vector<unsigned char*>& raw_parity() { return raw_parity_; }

 private:
  Scheme scheme_;
  size_t fragment_bytes_, bytes_;
  std::byte* data_;
  Codec codec_;
  std::vector<std::span<const std::byte>> data_views_;
  std::vector<std::span<std::byte>> parity_views_, all_;
  std::vector<unsigned char*> raw_data_, raw_parity_;
};

uint32_t arg_u32(const benchmark::State& state, size_t i) {
  return static_cast<uint32_t>(state.range(i));
}

void BM_Encode(benchmark::State& state) {
  BenchStripe s(arg_u32(state, 0), arg_u32(state, 1), static_cast<size_t>(state.range(2)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.codec().encode(s.data(), s.parity()));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(s.file_bytes()));
  state.SetLabel(s.scheme().to_string() + " file data");
}

void BM_EncodeRawIsal(benchmark::State& state) {
  BenchStripe s(arg_u32(state, 0), arg_u32(state, 1), static_cast<size_t>(state.range(2)));
  const int k = static_cast<int>(s.scheme().k), m = static_cast<int>(s.scheme().m);
  std::vector<unsigned char> generator(static_cast<size_t>((k + m) * k));
  std::vector<unsigned char> tables(static_cast<size_t>(32 * k * m));
  gf_gen_cauchy1_matrix(generator.data(), k + m, k);
  ec_init_tables(k, m, generator.data() + k * k, tables.data());
  const int length = static_cast<int>(state.range(2));
  for (auto _ : state) {
    ec_encode_data(length, k, m, tables.data(), s.raw_data().data(), s.raw_parity().data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(s.file_bytes()));
  state.SetLabel(s.scheme().to_string() + " file data, no wrapper");
}

// Worst case for a read: the first m members (data fragments) lost.
void BM_Decode(benchmark::State& state) {
  BenchStripe s(arg_u32(state, 0), arg_u32(state, 1), static_cast<size_t>(state.range(2)));
  FragmentSet present = FragmentSet::first(s.scheme().width());
  for (uint32_t i = 0; i < s.scheme().m; ++i) present.erase(i);
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.codec().decode(s.all(), present));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(s.file_bytes()));
  state.SetLabel(s.scheme().to_string() + " file data, m data lost");
}

// Copies half of a stripe-sized buffer into its other half: the same total
// working set as the codec rows with the same arguments.
void BM_Memcpy(benchmark::State& state) {
  BenchStripe s(arg_u32(state, 0), arg_u32(state, 1), static_cast<size_t>(state.range(2)));
  const size_t half = s.stripe_bytes() / 2;
  for (auto _ : state) {
    std::memcpy(s.bytes() + half, s.bytes(), half);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(half));
  state.SetLabel("bytes copied");
}

void codec_args(benchmark::internal::Benchmark* b) {
  for (auto [k, m] : {std::pair{4, 2}, std::pair{8, 3}, std::pair{10, 4}})
    for (int64_t fragment_bytes : {4096, 65536, 1 << 20}) b->Args({k, m, fragment_bytes});
  b->ArgNames({"k", "m", "fragment_bytes"});
}

BENCHMARK(BM_Encode)->Apply(codec_args);
BENCHMARK(BM_EncodeRawIsal)->Apply(codec_args);
BENCHMARK(BM_Decode)->Apply(codec_args);
BENCHMARK(BM_Memcpy)->Apply(codec_args);

}  // namespace
}  // namespace cairn
