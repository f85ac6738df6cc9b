// Synthetic PACS-style file paths for sampling a layout: one study directory
// per 500 slices, DICOM UIDs as directory names, as archives name them
// (/YYYY/MM/DD/MODALITY/<study uid>/<series>/IM-NNNN.dcm). Deterministic in
// the seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cairn {

std::vector<std::string> sample_paths(uint64_t count, uint64_t seed);

}  // namespace cairn
