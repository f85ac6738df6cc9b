// `cairn bench codec`: how fast one core erasure-codes, beside what the same
// core copies and reads, so the figures can be judged on any machine.
//
// Every figure is single-threaded (per core) and in GB/s (10^9 bytes). Encode
// and decode count FILE DATA (k x fragment bytes per stripe); memcpy counts
// bytes copied; the read pass counts bytes read. The working set is one
// stripe, reused every iteration, and the baselines touch buffers of the same
// total size, so all figures come from the same cache level. Buffers hold
// SplitMix64 bytes: zero-filled memory runs several times faster and would
// flatter the figures.
#include <isa-l/erasure_code.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "engine/codec.h"
#include "engine/random.h"

namespace cairn::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kFragmentBytesMax = uint64_t{16} << 20;  // a stripe stays below 512 MiB
constexpr double kSecondsMax = 60;
constexpr uint64_t kDataSeed = 1;  // SplitMix64 seed of every buffer's contents

struct CodecBenchArgs {
  std::string scheme;
  uint64_t fragment_bytes = 0;
  double seconds = 0.5;
  bool json = false;
};

// The empty asm claims to read and write all memory, so the compiler can
// neither drop the timed work nor move it out of the loop.
inline void memory_barrier() {
  asm volatile("" ::: "memory");
}
inline void keep(uint64_t value) {
  asm volatile("" : : "r"(value) : "memory");
}

// 64-byte aligned, random-filled bytes.
class Buffer {
 public:
  explicit Buffer(size_t bytes)
      : bytes_(bytes),
        data_(static_cast<std::byte*>(::operator new (bytes, std::align_val_t{64}))) {
    SplitMix64 rng(kDataSeed + bytes);
    for (size_t i = 0; i < bytes; i += 8) {
      uint64_t word = rng.next();
      std::memcpy(data_ + i, &word, std::min<size_t>(8, bytes - i));
    }
  }
  ~Buffer() { ::operator delete (data_, std::align_val_t{64}); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  std::span<std::byte> span(size_t offset, size_t bytes) { return {data_ + offset, bytes}; }
  std::byte* data() { return data_; }
  size_t size() const { return bytes_; }

 private:
  size_t bytes_;
  std::byte* data_;
};

struct Measurement {
  uint64_t bytes_per_iteration = 0;
  uint64_t iterations = 0;
  double seconds = 0;
  double gb_per_s() const {
    return seconds > 0 ? static_cast<double>(bytes_per_iteration * iterations) / seconds / 1e9 : 0;
  }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Times `batch` calls of `work`, adding them to `m`.
template <class Work>
void run_batch(Measurement& m, uint64_t batch, Work& work) {
  const auto start = Clock::now();
  for (uint64_t i = 0; i < batch; ++i) {
    work();
    memory_barrier();
  }
  m.seconds += seconds_since(start);
  m.iterations += batch;
}

// Batch size that takes about 2 ms, so clock reads cost nothing.
template <class Work>
uint64_t calibrate(Work& work) {
  Measurement probe;
  run_batch(probe, 1, work);  // also the warm-up: page faults, caches, decode tables
  for (uint64_t batch = 1;; batch *= 2) {
    probe = {};
    run_batch(probe, batch, work);
    if (probe.seconds >= 2e-3 || batch >= (uint64_t{1} << 30)) return batch;
  }
}

// Repeats `work` until `seconds` of it have been timed.
template <class Work>
Measurement measure(double seconds, uint64_t bytes_per_iteration, Work work) {
  const uint64_t batch = calibrate(work);
  Measurement m{bytes_per_iteration};
  while (m.seconds < seconds) run_batch(m, batch, work);
  return m;
}

// Alternates batches of `a` and `b` until each has run `seconds`: clock
// drift and noisy neighbours then hit both alike, which a difference of a
// few percent needs.
template <class A, class B>
std::pair<Measurement, Measurement> measure_pair(double seconds, uint64_t bytes_per_iteration, A a,
                                                 B b) {
  const uint64_t batch_a = calibrate(a), batch_b = calibrate(b);
  Measurement ma{bytes_per_iteration}, mb{bytes_per_iteration};
  while (ma.seconds < seconds || mb.seconds < seconds) {
    run_batch(ma, batch_a, a);
    run_batch(mb, batch_b, b);
  }
  return {ma, mb};
}

// XOR of every 64-byte block (bytes is a multiple of 64), with four
// independent accumulators and a clone per SIMD level so the read pass runs
// at the core's load bandwidth, like glibc's memcpy, rather than at the
// baseline SSE2 the rest of the binary is compiled for.
using Block = uint64_t __attribute__((vector_size(64)));

__attribute__((target_clones("avx512f", "avx2", "default"))) uint64_t xor_blocks(const std::byte* p,
                                                                                 size_t bytes) {
  Block acc[4] = {};
  size_t i = 0;
  for (; i + 256 <= bytes; i += 256)
    for (size_t a = 0; a < 4; ++a) {
      Block b;
      std::memcpy(&b, p + i + 64 * a, 64);
      acc[a] ^= b;
    }
  for (; i + 64 <= bytes; i += 64) {
    Block b;
    std::memcpy(&b, p + i, 64);
    acc[0] ^= b;
  }
  Block all = acc[0] ^ acc[1] ^ acc[2] ^ acc[3];
  uint64_t out = 0;
  for (int lane = 0; lane < 8; ++lane) out ^= all[lane];
  return out;
}

struct CodecFigures {
  Measurement encode, encode_raw, decode, copy, read;
  FragmentSet lost;
};

// The stripe in one buffer: members 0..width-1, fragment_bytes each.
struct StripeViews {
  std::vector<std::span<const std::byte>> data;
  std::vector<std::span<std::byte>> parity, all;
  std::vector<unsigned char*> raw_data, raw_parity;
};

StripeViews views_of(Buffer& stripe, const Scheme& s, size_t fragment_bytes) {
  StripeViews v;
  for (uint32_t i = 0; i < s.width(); ++i) {
    std::span<std::byte> f = stripe.span(i * fragment_bytes, fragment_bytes);
    v.all.push_back(f);
    auto* raw = reinterpret_cast<unsigned char*>(f.data());
    if (i < s.k) {
      v.data.push_back(f);
      v.raw_data.push_back(raw);
    } else {
      v.parity.push_back(f);
      v.raw_parity.push_back(raw);
    }
  }
  return v;
}

// Worst case for a read: the first m data members lost (then parity if m > k).
FragmentSet worst_loss(const Scheme& s) {
  FragmentSet lost;
  for (uint32_t i = 0; i < s.m; ++i) lost.insert(i);
  return lost;
}

// Checks that the engine's parity equals raw ISA-L's and that a decode
// restores the lost members, before anything is timed.
Status self_check(Codec& codec, StripeViews& v, Buffer& stripe, std::vector<unsigned char>& tables,
                  FragmentSet lost) {
  const Scheme& s = codec.scheme();
  const size_t fragment_bytes = v.all[0].size();
  ec_encode_data(static_cast<int>(fragment_bytes), static_cast<int>(s.k), static_cast<int>(s.m),
                 tables.data(), v.raw_data.data(), v.raw_parity.data());
  std::vector<std::byte> reference(stripe.data(), stripe.data() + stripe.size());
  for (auto p : v.parity) std::memset(p.data(), 0, p.size());
  if (Status st = codec.encode(v.data, v.parity); !st.is_ok()) return st;
  if (std::memcmp(reference.data(), stripe.data(), stripe.size()) != 0)
    return {StatusCode::kCorrupt, "engine parity differs from raw ISA-L parity"};
  for (uint32_t i = 0; i < s.width(); ++i)
    if (lost.contains(i)) std::memset(v.all[i].data(), 0xA5, fragment_bytes);
  if (Status st = codec.decode(v.all, FragmentSet::first(s.width()) & ~lost); !st.is_ok())
    return st;
  if (std::memcmp(reference.data(), stripe.data(), stripe.size()) != 0)
    return {StatusCode::kCorrupt, "decode did not restore the lost fragments"};
  return Status::ok();
}

Result<CodecFigures> run_measurements(Codec& codec, size_t fragment_bytes, double seconds) {
  const Scheme& s = codec.scheme();
  const size_t stripe_bytes = s.width() * fragment_bytes, file_bytes = s.k * fragment_bytes;
  Buffer stripe(stripe_bytes), copy_buffer(stripe_bytes), read_buffer(stripe_bytes);
  StripeViews v = views_of(stripe, s, fragment_bytes);
  std::vector<unsigned char> generator(size_t{s.width()} * s.k), tables(size_t{32} * s.k * s.m);
  gf_gen_cauchy1_matrix(generator.data(), static_cast<int>(s.width()), static_cast<int>(s.k));
  ec_init_tables(static_cast<int>(s.k), static_cast<int>(s.m), generator.data() + s.k * s.k,
                 tables.data());
  CodecFigures f;
  f.lost = worst_loss(s);
  if (Status st = self_check(codec, v, stripe, tables, f.lost); !st.is_ok()) return st;

  auto raw = [&] {
    ec_encode_data(static_cast<int>(fragment_bytes), static_cast<int>(s.k), static_cast<int>(s.m),
                   tables.data(), v.raw_data.data(), v.raw_parity.data());
  };
  auto engine = [&] { CAIRN_ASSERT(codec.encode(v.data, v.parity).is_ok()); };
  std::tie(f.encode_raw, f.encode) = measure_pair(seconds, file_bytes, raw, engine);
  const FragmentSet present = FragmentSet::first(s.width()) & ~f.lost;
  f.decode =
      measure(seconds, file_bytes, [&] { CAIRN_ASSERT(codec.decode(v.all, present).is_ok()); });
  const size_t half = stripe_bytes / 2;
  f.copy = measure(seconds, half,
                   [&] { std::memcpy(copy_buffer.data() + half, copy_buffer.data(), half); });
  f.read =
      measure(seconds, stripe_bytes, [&] { keep(xor_blocks(read_buffer.data(), stripe_bytes)); });
  return f;
}

json measurement_json(const Measurement& m) {
  return {{"gb_per_s", m.gb_per_s()},
          {"bytes_per_iteration", m.bytes_per_iteration},
          {"iterations", m.iterations},
          {"seconds", m.seconds}};
}

json report_json(const CodecBenchArgs& args, const Scheme& s, const CodecFigures& f) {
  const uint64_t stripe_bytes = uint64_t{s.width()} * args.fragment_bytes;
  std::vector<uint32_t> lost;
  for (uint32_t i = 0; i < s.width(); ++i)
    if (f.lost.contains(i)) lost.push_back(i);
  json encode = measurement_json(f.encode), decode = measurement_json(f.decode);
  decode["lost_members"] = lost;
  return {
      {"command", "bench codec"},
      {"engine_version", CAIRN_ENGINE_VERSION},
      {"scheme", s.to_string()},
      {"fragment_bytes", args.fragment_bytes},
      {"seconds_per_measurement", args.seconds},
      {"threads", 1},
      {"units", "GB/s = 1e9 bytes/s; encode/decode count file data (k x fragment_bytes)"},
      {"working_set",
       {{"stripe_bytes", stripe_bytes},
        {"description",
         "one stripe of k+m fragments, reused every iteration; memcpy copies half of "
         "a stripe-sized buffer into its other half; read XORs a stripe-sized buffer"},
        {"data", "SplitMix64 random bytes"},
        {"l2_cache_bytes", sysconf(_SC_LEVEL2_CACHE_SIZE)},
        {"l3_cache_bytes", sysconf(_SC_LEVEL3_CACHE_SIZE)}}},
      {"cpu",
       {{"avx2", __builtin_cpu_supports("avx2") != 0},
        {"avx512f", __builtin_cpu_supports("avx512f") != 0}}},
      {"encode", encode},
      {"encode_raw_isal", measurement_json(f.encode_raw)},
      {"decode", decode},
      {"memcpy", measurement_json(f.copy)},
      {"read", measurement_json(f.read)},
      {"encode_vs_memcpy", f.encode.gb_per_s() / f.copy.gb_per_s()},
      {"decode_vs_memcpy", f.decode.gb_per_s() / f.copy.gb_per_s()},
      {"wrapper_overhead_percent", (f.encode_raw.gb_per_s() / f.encode.gb_per_s() - 1) * 100},
  };
}

void print_row(const char* name, const Measurement& m, double memcpy_gb_per_s, const char* counts) {
  std::printf("  %-26s %8.2f GB/s  %5.2fx memcpy  %10llu iterations  (%s)\n", name, m.gb_per_s(),
              m.gb_per_s() / memcpy_gb_per_s, static_cast<unsigned long long>(m.iterations),
              counts);
}

void print_table(const json& r, const CodecFigures& f) {
  const uint64_t stripe_bytes = r["working_set"]["stripe_bytes"];
  std::printf("cairn bench codec: %s, fragment %llu bytes, %.2f s per measurement, 1 thread\n",
              r["scheme"].get<std::string>().c_str(),
              static_cast<unsigned long long>(r["fragment_bytes"].get<uint64_t>()),
              r["seconds_per_measurement"].get<double>());
  std::printf(
      "working set: one stripe, %llu bytes (%.0f KiB), reused; SplitMix64 data; "
      "L2 %ld KiB, L3 %ld KiB\n",
      static_cast<unsigned long long>(stripe_bytes), static_cast<double>(stripe_bytes) / 1024,
      r["working_set"]["l2_cache_bytes"].get<long>() / 1024,
      r["working_set"]["l3_cache_bytes"].get<long>() / 1024);
  const double copy = f.copy.gb_per_s();
  print_row("encode (engine)", f.encode, copy, "file data");
  print_row("encode (raw ec_encode_data)", f.encode_raw, copy, "file data");
  print_row("decode, m data lost", f.decode, copy, "file data");
  print_row("memcpy", f.copy, copy, "bytes copied");
  print_row("read-only pass", f.read, copy, "bytes read");
  std::printf("wrapper overhead: %+.2f %% (engine encode vs raw ec_encode_data, interleaved)\n",
              r["wrapper_overhead_percent"].get<double>());
}

int run_codec_bench(const CodecBenchArgs& args) {
  const std::string command = "bench codec";
  Result<Scheme> scheme = Scheme::parse(args.scheme);
  if (!scheme) return usage_error(command, scheme.status().message());
  if (scheme->is_replica())
    return usage_error(command, "replica schemes only copy; give an erasure code, e.g. ec:8+3");
  if (args.fragment_bytes == 0 || args.fragment_bytes % 64 != 0 ||
      args.fragment_bytes > kFragmentBytesMax)
    return usage_error(command,
                       "--fragment-size must be a positive multiple of 64, at most 16 MiB");
  if (!(args.seconds > 0 && args.seconds <= kSecondsMax))
    return usage_error(command, "--seconds must be in (0, 60]");
  Result<Codec> codec = Codec::create(*scheme);
  if (!codec) return usage_error(command, codec.status().message());

  Result<CodecFigures> figures = run_measurements(*codec, args.fragment_bytes, args.seconds);
  if (!figures) {
    std::cerr << "cairn " << command << ": self-check failed: " << figures.status().message()
              << "\n";
    return 1;
  }
  json report = report_json(args, *scheme, *figures);
  if (args.json)
    std::cout << report.dump(2) << "\n";
  else
    print_table(report, *figures);
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, int* exit_code) {
  CLI::App* bench = app.add_subcommand("bench", "Measure throughput: the engine (codec, layout) and the lab cluster (put, get)");
  bench->require_subcommand(1);
  auto args = std::make_shared<CodecBenchArgs>();
  CLI::App* codec = bench->add_subcommand(
      "codec", "Erasure-code encode/decode throughput per core, beside memcpy and a read pass");
  codec->add_option("--scheme", args->scheme, "Erasure code ec:K+M, e.g. ec:8+3")->required();
  codec
      ->add_option("--fragment-size", args->fragment_bytes,
                   "Bytes per fragment, a multiple of 64 (file data per stripe is K times this)")
      ->required();
  codec->add_option("--seconds", args->seconds, "Seconds per measurement")->capture_default_str();
  codec->add_flag("--json", args->json, "Print one JSON object instead of a table");
  codec->callback([args, exit_code] { *exit_code = run_codec_bench(*args); });
}

}  // namespace cairn::cli
