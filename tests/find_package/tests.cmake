# Included from tests/CMakeLists.txt (tests directory scope).
#
# find_package.*: install the already built project into a fresh prefix, then
# configure, build and run tests/find_package/consumer against it, the way a
# downstream project uses shpp. Fixtures order the steps (ctest -R consumer
# pulls in the earlier ones); the prefix and the consumer's build directory
# belong to these tests alone, so they run safely beside the rest of the suite.
set(shpp_fp_dir ${CMAKE_BINARY_DIR}/find_package)
set(shpp_fp_prefix ${shpp_fp_dir}/prefix)
set(shpp_fp_build ${shpp_fp_dir}/build)
set(shpp_fp_source ${CMAKE_CURRENT_LIST_DIR}/consumer)
set(shpp_fp_fresh ${CMAKE_CURRENT_LIST_DIR}/run_fresh.cmake)

# The installed prefix first, then whatever the parent build searched (for fmt).
# Escaped so that the list stays one argument in the generated CTestTestfile.
set(shpp_fp_prefix_path ${shpp_fp_prefix} ${CMAKE_PREFIX_PATH})
string(REPLACE ";" "\\;" shpp_fp_prefix_path "${shpp_fp_prefix_path}")

# (a) Install the build tree into a fresh prefix.
add_test(NAME find_package.install
  COMMAND ${CMAKE_COMMAND} -DFRESH_DIR=${shpp_fp_prefix} -P ${shpp_fp_fresh} --
          ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${shpp_fp_prefix} --config $<CONFIG>)
set_tests_properties(find_package.install PROPERTIES
  FIXTURES_SETUP shpp_fp_installed
  RESOURCE_LOCK shpp_build_tree)

# (b) Configure the consumer against the prefix, in a fresh build directory.
add_test(NAME find_package.configure
  COMMAND ${CMAKE_COMMAND} -DFRESH_DIR=${shpp_fp_build} -P ${shpp_fp_fresh} --
          ${CMAKE_COMMAND} -S ${shpp_fp_source} -B ${shpp_fp_build}
          -G ${CMAKE_GENERATOR}
          -DCMAKE_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}
          -DCMAKE_BUILD_TYPE=$<CONFIG>
          -DCMAKE_PREFIX_PATH=${shpp_fp_prefix_path}
          -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
          -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER})
set_tests_properties(find_package.configure PROPERTIES
  FIXTURES_REQUIRED shpp_fp_installed
  FIXTURES_SETUP shpp_fp_configured)

# (c) Build it.
add_test(NAME find_package.build
  COMMAND ${CMAKE_COMMAND} --build ${shpp_fp_build} --config $<CONFIG>)
set_tests_properties(find_package.build PROPERTIES
  FIXTURES_REQUIRED "shpp_fp_installed;shpp_fp_configured"
  FIXTURES_SETUP shpp_fp_built
  TIMEOUT 600)

# (d) Run it. The path is the single-config one; multi-config generators put
# the executable in a per-config subdirectory.
get_property(shpp_fp_multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
if(shpp_fp_multi_config)
  set(shpp_fp_exe ${shpp_fp_build}/$<CONFIG>/consumer)
else()
  set(shpp_fp_exe ${shpp_fp_build}/consumer)
endif()
add_test(NAME find_package.consumer COMMAND ${shpp_fp_exe})
set_tests_properties(find_package.consumer PROPERTIES
  FIXTURES_REQUIRED "shpp_fp_installed;shpp_fp_configured;shpp_fp_built"
  FAIL_REGULAR_EXPRESSION "FAIL")  # besides a non-zero exit

# Every public header compiles on its own (VERIFY_INTERFACE_HEADER_SETS). This
# builds inside the project's build tree, so it does not overlap the install.
add_test(NAME public_headers_compile_alone
  COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target all_verify_interface_header_sets --config $<CONFIG>)
set_tests_properties(public_headers_compile_alone PROPERTIES
  RESOURCE_LOCK shpp_build_tree
  TIMEOUT 600)

# Boost and range-v3 stay private: no public header may include them.
add_test(NAME public_headers_have_no_boost
  COMMAND ${CMAKE_COMMAND} -DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include -P ${CMAKE_CURRENT_LIST_DIR}/check_no_boost.cmake)

# (e) The installed runner works from a copy of the prefix somewhere else.
add_test(NAME find_package.relocated_runner
  COMMAND ${CMAKE_COMMAND} -DPREFIX=${shpp_fp_prefix} -DWORK=${shpp_fp_dir}/relocated
          -P ${CMAKE_CURRENT_LIST_DIR}/relocated_runner.cmake)
set_tests_properties(find_package.relocated_runner PROPERTIES
  FIXTURES_REQUIRED shpp_fp_installed
  TIMEOUT 600)
