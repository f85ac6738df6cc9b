// Status and Result: how the engine reports operating errors (bad input, an
// unsatisfiable topology, a refused increment). Nothing under engine/ throws
// across its boundary; invariants are checked with CAIRN_ASSERT instead.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace cairn {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument = 1,  // malformed input: a bad scheme string, a zero size
  kUnsatisfiable = 2,    // the topology cannot hold the scheme in the failure domain
  kRefused = 3,          // a valid request the policy refuses (e.g. not whole groups)
  kDataLoss = 4,         // fewer survivors than the code needs
  kCorrupt = 5,          // a checksum or format check failed
  // Operating errors of the reference cluster. The numbers travel on the wire
  // (cluster-ref/messages.h), so they are fixed: append, never renumber.
  kNotFound = 6,     // no such file, node or group
  kUnavailable = 7,  // a peer is down or too few members are live
  kStaleEpoch = 8,   // the caller's cluster map is older than the node's
  kIoError = 9,      // the operating system refused a read, write or sync
  kTimeout = 10,     // a peer did not answer in time
  kRetained = 11,    // WORM: the file is under retention (engine/retention.h); a mount maps it to EPERM
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status unsatisfiable(std::string m) { return {StatusCode::kUnsatisfiable, std::move(m)}; }
inline Status refused(std::string m) { return {StatusCode::kRefused, std::move(m)}; }
inline Status corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
inline Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
// A short lowercase name for messages and JSON ("not found").
const char* to_string(StatusCode code);

// A value or the Status that explains why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const;
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

template <class T>
const Status& Result<T>::status() const {
  static const Status kOk;
  return is_ok() ? kOk : std::get<Status>(v_);
}

}  // namespace cairn

// Invariant checks stay on in release builds: a broken invariant in a storage
// system must stop the process, not corrupt an archive quietly.
#define CAIRN_ASSERT(cond)                                                           \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: CAIRN_ASSERT(%s) failed\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)
