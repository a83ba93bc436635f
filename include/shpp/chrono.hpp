// std::chrono's durations and literals without the rest of <chrono>: in
// libstdc++ the calendar and time-zone parts of C++20's <chrono> triple its cost.
#pragma once

#if __has_include(<bits/chrono.h>)
#include <bits/chrono.h>  // std::chrono::duration, std::chrono_literals
#else
#include <chrono>
#endif
