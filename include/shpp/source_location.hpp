// Where a command was run, for error messages: std::source_location where
// the standard library has it, else the same from the compiler's builtins
// (clang 14 with libstdc++ 12 has the builtins but not the class).
#pragma once

#include <version>  // __cpp_lib_source_location

#if defined(__cpp_lib_source_location)
#include <source_location>
namespace shpp {
using source_location = std::source_location;
}
#else
#include <cstdint>
namespace shpp {
class source_location {
 public:
  static constexpr source_location current(const char* file = __builtin_FILE(), const char* function = __builtin_FUNCTION(),
                                           std::uint_least32_t line = __builtin_LINE()) noexcept {
    source_location where;
    where.file_ = file;
    where.function_ = function;
    where.line_ = line;
    return where;
  }
  constexpr source_location() noexcept = default;
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr const char* function_name() const noexcept { return function_; }
  constexpr std::uint_least32_t line() const noexcept { return line_; }
  constexpr std::uint_least32_t column() const noexcept { return 0; }

 private:
  const char* file_ = "";
  const char* function_ = "";
  std::uint_least32_t line_ = 0;
};
}  // namespace shpp
#endif
