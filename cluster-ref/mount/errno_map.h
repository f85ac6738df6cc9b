// How the mount reports the client library's errors to applications: one
// errno per StatusCode (the table in README "Mounting the archive"), so a
// PACS sees an honest reason and not a blanket EIO.
#pragma once
#include "engine/status.h"

namespace cairn {

// A positive errno value for a failed status (0 for kOk).
int errno_of(const Status& status);

}  // namespace cairn
