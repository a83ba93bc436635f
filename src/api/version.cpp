#include "shpp/version.hpp"

namespace shpp {
const char* version() noexcept { return SHPP_VERSION; }
}  // namespace shpp
