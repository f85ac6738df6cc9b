#include "engine/status.h"

namespace cairn {

const char* to_string(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kUnsatisfiable: return "unsatisfiable";
    case StatusCode::kRefused: return "refused";
    case StatusCode::kDataLoss: return "data loss";
    case StatusCode::kCorrupt: return "corrupt";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kStaleEpoch: return "stale epoch";
    case StatusCode::kIoError: return "i/o error";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kRetained: return "retained";
  }
  return "unknown";
}

}  // namespace cairn
