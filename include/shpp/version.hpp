#pragma once

namespace shpp {
/// The library's version, "major.minor.patch".
const char* version() noexcept;
}  // namespace shpp
