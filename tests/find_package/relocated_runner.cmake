# The installed runner is relocatable: copy the installed prefix elsewhere and
# run an -e script through the copy, with a cache of its own.
#   cmake -DPREFIX=dir -DWORK=dir -P relocated_runner.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY ${PREFIX}/ DESTINATION ${WORK}/moved)
set(ENV{XDG_CACHE_HOME} ${WORK}/cache)
execute_process(COMMAND ${WORK}/moved/bin/shpp -e "fmt::print(\"{}\", cmd(\"echo\", \"relocated\").read());"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL "0" OR NOT out STREQUAL "relocated")
  message(FATAL_ERROR "the relocated runner failed (${status}): '${out}'\n${err}")
endif()
message("the relocated runner printed '${out}'")
