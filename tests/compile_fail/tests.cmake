# Compile-fail tests: each refused literal must be a compile error whose
# diagnostics carry the reason; CASE 0 must compile, so the harness itself
# is checked.
set(shpp_compile_fail_cases
  "0|^$"
  "1|\\$var. is not supported"
  "2|\\$\\{...\\}. is not supported"
  "3|arithmetic is not supported"
  "4|backquotes are not supported"
  "5|brace expansion is not supported"
  "6|use .spawn\\(\\)"
  "7|`\\|` needs a command after it"
  "8|`&&` needs a command after it"
  "9|an unclosed single quote"
  "10|a `\\(` without its `\\)`"
  "11|more \\{\\} placeholders than arguments"
  "12|more arguments than \\{\\} placeholders"
  "13|a range cannot be part of a longer word"
  "14|use .cwd\\(dir\\)"
  "15|write the control flow in C\\+\\+"
  "16|here-documents are not supported"
  "17|only fds 0, 1 and 2"
  "18|shell builtin"
  "19|an unclosed double quote"
  "20|a lone \\}"
  "21|must be a word of its own")
foreach(entry ${shpp_compile_fail_cases})
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 number)
  list(GET parts 1 expected)
  add_test(NAME "compile_fail: literal case ${number}"
           COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fsyntax-only -DCASE=${number}
                   -I${PROJECT_SOURCE_DIR}/include ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/literal_cases.cpp)
  if(number EQUAL 0)
    set_tests_properties("compile_fail: literal case ${number}" PROPERTIES LABELS unit)
  else()
    set_tests_properties("compile_fail: literal case ${number}" PROPERTIES LABELS unit WILL_FAIL FALSE
                         PASS_REGULAR_EXPRESSION "${expected}")
  endif()
endforeach()
