#include "cluster-ref/mount/errno_map.h"

#include <cerrno>

namespace cairn {

int errno_of(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kNotFound:
      return ENOENT;
    case StatusCode::kInvalidArgument:
      return EINVAL;
    case StatusCode::kRefused:
      // A node refuses a change it may not make: a retained (WORM) file, or
      // a write when a member's disk is full (its message says "full"; the
      // status code does not tell the two apart).
      return status.message().find(" full") != std::string::npos ? ENOSPC : EPERM;
    case StatusCode::kRetained:  // WORM: the file is under retention
      return EPERM;
    case StatusCode::kUnsatisfiable:
      return ENOSPC;
    case StatusCode::kUnavailable:
    case StatusCode::kTimeout:
    case StatusCode::kStaleEpoch:
    case StatusCode::kIoError:
    case StatusCode::kDataLoss:
    case StatusCode::kCorrupt:
      return EIO;
  }
  return EIO;
}

}  // namespace cairn
