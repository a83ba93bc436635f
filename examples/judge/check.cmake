# Runs the judge on one sample solution and checks its whole output: the name,
# then either one line per test (tests are 1.in ... N.in) with VERDICT, or CE
# with the compiler's message. Used by ctest (see ../CMakeLists.txt):
#
#   cmake [-DRUNNER=shpp] -DJUDGE=judge.cpp -DSOLUTION=x.cpp -DTESTS=dir -DVERDICT=OK|WA|TLE|RE|CE
#         [-DDETAIL=regex] [-DTIME_LIMIT=ms] -P check.cmake
#
# DETAIL is what each test line shows in parentheses after the verdict, or for
# CE, something the compiler's message must contain.
foreach(var JUDGE SOLUTION TESTS VERDICT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check.cmake: -D${var}=... is missing")
  endif()
endforeach()
set(args ${SOLUTION} ${TESTS})
if(DEFINED TIME_LIMIT)
  list(APPEND args --time-limit ${TIME_LIMIT})
endif()

execute_process(COMMAND ${RUNNER} ${JUDGE} ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "the judge failed (${status}); it must exit 0 whatever the verdicts")
endif()

get_filename_component(name ${SOLUTION} NAME)
string(REPLACE "." "\\." expected "^${name}\n")
if(VERDICT STREQUAL "CE")
  string(APPEND expected "  CE\n(    [^\n]*\n)+$")
else()
  file(GLOB inputs ${TESTS}/*.in)
  list(LENGTH inputs count)
  if(count EQUAL 0)
    message(FATAL_ERROR "no tests in ${TESTS}")
  endif()
  set(detail "")
  if(DEFINED DETAIL)
    set(detail " \\(${DETAIL}\\)")
  endif()
  foreach(i RANGE 1 ${count})
    string(APPEND expected "  test ${i}: ${VERDICT}${detail}\n")
  endforeach()
  string(APPEND expected "$")
endif()

if(NOT out MATCHES "${expected}")
  message(FATAL_ERROR "expected output matching:\n${expected}")
endif()
if(VERDICT STREQUAL "CE" AND DEFINED DETAIL AND NOT out MATCHES "${DETAIL}")
  message(FATAL_ERROR "the compiler's message should match: ${DETAIL}")
endif()
