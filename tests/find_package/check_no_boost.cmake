# cmake -DINCLUDE_DIR=<dir> -P check_no_boost.cmake
#
# Fails if a public header includes Boost or range-v3: those are private
# dependencies of the compiled library and must not leak to users.
if(NOT INCLUDE_DIR OR NOT IS_DIRECTORY "${INCLUDE_DIR}")
  message(FATAL_ERROR "check_no_boost.cmake: INCLUDE_DIR '${INCLUDE_DIR}' is not a directory")
endif()

file(GLOB_RECURSE headers LIST_DIRECTORIES FALSE "${INCLUDE_DIR}/*")
if(NOT headers)
  message(FATAL_ERROR "check_no_boost.cmake: no files under ${INCLUDE_DIR}")
endif()

set(offenders "")
foreach(header ${headers})
  file(STRINGS "${header}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](boost|range)/")
  foreach(hit ${hits})
    file(RELATIVE_PATH shown "${INCLUDE_DIR}" "${header}")
    list(APPEND offenders "  ${shown}: ${hit}")
  endforeach()
endforeach()

list(LENGTH headers count)
if(offenders)
  list(JOIN offenders "\n" report)
  message(FATAL_ERROR "Public headers include Boost or range-v3:\n${report}")
endif()
message(STATUS "${count} public header(s) under ${INCLUDE_DIR}: no Boost or range-v3 includes")
