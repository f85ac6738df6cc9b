#include "engine/codec.h"

#include <isa-l/erasure_code.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "engine/checksum.h"

namespace cairn {
namespace {

// ISA-L takes an int length; longer fragments are coded in pieces of this
// size. Reed-Solomon works byte column by byte column, so the result is the
// same as coding the whole fragment at once.
constexpr size_t kIsalPieceBytes = size_t{1} << 30;

using Pointers = std::array<unsigned char*, Scheme::kMaxWidth>;

unsigned char* as_uchar(const std::byte* p) {
  // ISA-L's signatures lack const; sources are only read.
  return const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(p));
}

// Runs one ISA-L coding pass over `length_bytes` bytes of every buffer:
// outputs[r] = sum_j coefficient(r, j) * inputs[j].
void isal_code(uint32_t k, uint32_t rows, unsigned char* tables, unsigned char** inputs,
               unsigned char** outputs, size_t length_bytes) {
  if (length_bytes <= kIsalPieceBytes) {
    ec_encode_data(static_cast<int>(length_bytes), static_cast<int>(k), static_cast<int>(rows),
                   tables, inputs, outputs);
  } else {
    Pointers in, out;  // filled below up to k and rows
    for (size_t offset = 0; offset < length_bytes; offset += kIsalPieceBytes) {
      size_t piece_bytes = std::min(kIsalPieceBytes, length_bytes - offset);
      for (uint32_t j = 0; j < k; ++j) in[j] = inputs[j] + offset;
      for (uint32_t r = 0; r < rows; ++r) out[r] = outputs[r] + offset;
      ec_encode_data(static_cast<int>(piece_bytes), static_cast<int>(k), static_cast<int>(rows),
                     tables, in.data(), out.data());
    }
  }
  detail::clear_upper_simd_state();
}

std::string count_mismatch(const char* what, size_t got, uint32_t want) {
  return std::string(what) + ": got " + std::to_string(got) + " fragments, expected " +
         std::to_string(want);
}

}  // namespace

Result<Codec> Codec::create(const Scheme& scheme) {
  if (scheme.k < 1) return invalid_argument("codec: k must be at least 1");
  if (scheme.width() > Scheme::kMaxWidth)
    return invalid_argument("codec: " + scheme.to_string() + " is wider than 32 members");
  if (scheme.is_replica() && scheme.k != 1)
    return invalid_argument("codec: a replica scheme has k == 1");
  return Codec(scheme);
}

Codec::Codec(const Scheme& scheme) : scheme_(scheme) {
  const uint32_t k = scheme_.k, m = scheme_.m;
  if (scheme_.is_replica()) return;  // copies need no tables
  generator_.resize(size_t{scheme_.width()} * k);
  gf_gen_cauchy1_matrix(generator_.data(), static_cast<int>(scheme_.width()), static_cast<int>(k));
  encode_tables_.resize(size_t{32} * k * m);
  if (m > 0) {
    ec_init_tables(static_cast<int>(k), static_cast<int>(m), generator_.data() + size_t{k} * k,
                   encode_tables_.data());
  }
  cache_.reserve(kDecodeCacheEntries);
}

Status Codec::encode(std::span<const std::span<const std::byte>> data,
                     std::span<const std::span<std::byte>> parity) {
  const uint32_t k = scheme_.k, m = scheme_.m;
  if (data.size() != k) return invalid_argument(count_mismatch("encode data", data.size(), k));
  if (parity.size() != m)
    return invalid_argument(count_mismatch("encode parity", parity.size(), m));
  const size_t length_bytes = data[0].size();
  for (auto d : data)
    if (d.size() != length_bytes) return invalid_argument("encode: fragments differ in length");
  for (auto p : parity)
    if (p.size() != length_bytes) return invalid_argument("encode: fragments differ in length");
  if (length_bytes == 0 || m == 0) return Status::ok();

  if (scheme_.is_replica()) {
    for (auto p : parity) std::memcpy(p.data(), data[0].data(), length_bytes);
    return Status::ok();
  }
  Pointers in, out;  // filled up to k and m; zeroing them costs more than small fragments
  for (uint32_t j = 0; j < k; ++j) in[j] = as_uchar(data[j].data());
  for (uint32_t r = 0; r < m; ++r) out[r] = as_uchar(parity[r].data());
  isal_code(k, m, encode_tables_.data(), in.data(), out.data(), length_bytes);
  return Status::ok();
}

Status Codec::decode(std::span<const std::span<std::byte>> fragments, FragmentSet present) {
  return decode(fragments, present, FragmentSet::first(scheme_.width()) & ~present);
}

Status Codec::decode(std::span<const std::span<std::byte>> fragments, FragmentSet present,
                     FragmentSet wanted) {
  if (Status s = check_decode_shape(fragments, present, wanted); !s.is_ok()) return s;
  if (wanted.empty()) return Status::ok();
  if (present.size() < scheme_.k) {
    return {StatusCode::kDataLoss,
            scheme_.to_string() + ": " + std::to_string(scheme_.width() - present.size()) +
                " members lost, at most " + std::to_string(scheme_.m) + " can be rebuilt"};
  }
  const FragmentSet sources = first_k(present);
  const DecodePlan& plan = plan_for(sources, wanted);
  const size_t length_bytes = fragments[plan.sources[0]].size();
  if (length_bytes == 0) return Status::ok();

  if (scheme_.is_replica()) {
    for (uint32_t o = 0; o < plan.output_count; ++o)
      std::memcpy(fragments[plan.outputs[o]].data(), fragments[plan.sources[0]].data(),
                  length_bytes);
    return Status::ok();
  }
  Pointers in, out;  // filled up to k and output_count
  for (uint32_t j = 0; j < scheme_.k; ++j) in[j] = as_uchar(fragments[plan.sources[j]].data());
  for (uint32_t o = 0; o < plan.output_count; ++o)
    out[o] = as_uchar(fragments[plan.outputs[o]].data());
  // The tables are only read by ISA-L; its signature lacks const.
  isal_code(scheme_.k, plan.output_count, const_cast<unsigned char*>(plan.tables.data()), in.data(),
            out.data(), length_bytes);
  return Status::ok();
}

Status Codec::check_decode_shape(std::span<const std::span<std::byte>> fragments,
                                 FragmentSet present, FragmentSet wanted) const {
  const uint32_t width = scheme_.width();
  if (fragments.size() != width)
    return invalid_argument(count_mismatch("decode", fragments.size(), width));
  const FragmentSet members = FragmentSet::first(width);
  if ((present | wanted) != ((present | wanted) & members))
    return invalid_argument("decode: member index beyond the stripe width");
  if (!(present & wanted).empty())
    return invalid_argument("decode: a wanted member is already present");
  size_t length_bytes = 0;
  bool have_length = false;
  for (uint32_t i = 0; i < width; ++i) {
    if (!present.contains(i) && !wanted.contains(i)) continue;
    if (have_length && fragments[i].size() != length_bytes)
      return invalid_argument("decode: fragments differ in length");
    length_bytes = fragments[i].size();
    have_length = true;
  }
  return Status::ok();
}

FragmentSet Codec::first_k(FragmentSet present) const {
  FragmentSet sources;
  for (uint32_t i = 0, n = 0; i < scheme_.width() && n < scheme_.k; ++i) {
    if (present.contains(i)) {
      sources.insert(i);
      ++n;
    }
  }
  return sources;
}

const Codec::DecodePlan& Codec::plan_for(FragmentSet sources, FragmentSet wanted) {
  const uint64_t key = uint64_t{sources.bits()} << 32 | wanted.bits();
  ++cache_tick_;
  for (DecodePlan& plan : cache_) {
    if (plan.key != key) continue;
    ++cache_hits_;
    plan.last_use = cache_tick_;
    return plan;
  }
  ++cache_misses_;
  DecodePlan plan = build_plan(sources, wanted);
  plan.key = key;
  plan.last_use = cache_tick_;
  if (cache_.size() < kDecodeCacheEntries) {
    cache_.push_back(std::move(plan));
    return cache_.back();
  }
  auto lru = std::min_element(cache_.begin(), cache_.end(),
                              [](const auto& a, const auto& b) { return a.last_use < b.last_use; });
  *lru = std::move(plan);
  return *lru;
}

// Standard systematic RS decoding: invert the generator rows of the k
// sources, so that data = D * sources. A lost data member d is row d of D; a
// lost parity member p is (generator row p) * D.
Codec::DecodePlan Codec::build_plan(FragmentSet sources, FragmentSet wanted) const {
  const uint32_t k = scheme_.k;
  DecodePlan plan;
  uint32_t n = 0;
  for (uint32_t i = 0; i < scheme_.width(); ++i) {
    if (sources.contains(i)) plan.sources[n++] = static_cast<uint8_t>(i);
    if (wanted.contains(i)) plan.outputs[plan.output_count++] = static_cast<uint8_t>(i);
  }
  CAIRN_ASSERT(n == k);
  if (scheme_.is_replica()) return plan;

  std::vector<unsigned char> rows(size_t{k} * k), inverse(size_t{k} * k);
  for (uint32_t r = 0; r < k; ++r)
    std::memcpy(&rows[size_t{r} * k], &generator_[size_t{plan.sources[r]} * k], k);
  // Any k rows of a Cauchy-extended identity are independent (width <= 32).
  CAIRN_ASSERT(gf_invert_matrix(rows.data(), inverse.data(), static_cast<int>(k)) == 0);

  std::vector<unsigned char> decode_matrix(size_t{plan.output_count} * k);
  for (uint32_t o = 0; o < plan.output_count; ++o) {
    const uint32_t member = plan.outputs[o];
    unsigned char* row = &decode_matrix[size_t{o} * k];
    if (member < k) {
      std::memcpy(row, &inverse[size_t{member} * k], k);
      continue;
    }
    for (uint32_t j = 0; j < k; ++j) {
      unsigned char sum = 0;
      for (uint32_t i = 0; i < k; ++i)
        sum ^= gf_mul(generator_[size_t{member} * k + i], inverse[size_t{i} * k + j]);
      row[j] = sum;
    }
  }
  plan.tables.resize(size_t{32} * k * plan.output_count);
  ec_init_tables(static_cast<int>(k), static_cast<int>(plan.output_count), decode_matrix.data(),
                 plan.tables.data());
  return plan;
}

}  // namespace cairn
