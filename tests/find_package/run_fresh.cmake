# cmake -DFRESH_DIR=<dir> -P run_fresh.cmake -- <command> [args...]
#
# Removes FRESH_DIR (so every run starts from nothing), then runs the command
# and exits with a failure if it does. Used by tests/find_package/tests.cmake.
if(NOT FRESH_DIR)
  message(FATAL_ERROR "run_fresh.cmake: FRESH_DIR is not set")
endif()

set(command "")
set(in_command FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(in_command)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(in_command TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "run_fresh.cmake: no command after --")
endif()

file(REMOVE_RECURSE "${FRESH_DIR}")
if(EXISTS "${FRESH_DIR}")
  message(FATAL_ERROR "run_fresh.cmake: could not remove ${FRESH_DIR}")
endif()

list(JOIN command " " shown)
message(STATUS "Running: ${shown}")
execute_process(COMMAND ${command} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run_fresh.cmake: command failed (${rc}): ${shown}")
endif()
