# Included from tests/CMakeLists.txt (tests directory scope).
#
# remote_as_user: in a build configured by root, where the remote tests log in
# as root, the whole remote program runs once more as the ordinary user
# shpp-test (scripts/setup creates it): "works as root and as a normal user".
# Configured by anyone else, the remote tests already run as a normal user, and
# this test does not exist.
execute_process(COMMAND id -u OUTPUT_VARIABLE shpp_configuring_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(shpp_configuring_uid STREQUAL "0")
  add_test(NAME remote_as_user COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_as_user shpp-test
                                       $<TARGET_FILE:shpp_remote_tests>)
  set_tests_properties(remote_as_user PROPERTIES LABELS remote TIMEOUT 300)
endif()
