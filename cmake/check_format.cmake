# Every C and C++ source of tandem's own is as .clang-format lays it out (the ctest `format`;
# `make format` rewrites them). Verilator's and the build's generated files are not checked.
#   cmake -DSOURCE_DIR=<root> -DCLANG_FORMAT=<clang-format> -P cmake/check_format.cmake
cmake_minimum_required(VERSION 3.25)
file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
  "${SOURCE_DIR}/bridge/*.cpp" "${SOURCE_DIR}/bridge/*.h" "${SOURCE_DIR}/models/*.cpp" "${SOURCE_DIR}/models/*.h" "${SOURCE_DIR}/models/*.c"
  "${SOURCE_DIR}/devices/*.cpp" "${SOURCE_DIR}/devices/*.h" "${SOURCE_DIR}/devices/*.c"
  "${SOURCE_DIR}/apps/*.cpp" "${SOURCE_DIR}/apps/*.h" "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.h"
  "${SOURCE_DIR}/fuzz/*.cpp" "${SOURCE_DIR}/fuzz/*.h" "${SOURCE_DIR}/examples/*.cpp" "${SOURCE_DIR}/examples/*.h"
  "${SOURCE_DIR}/systemc/*.cpp" "${SOURCE_DIR}/systemc/*.h")
set(bad "")
foreach(f ${files})
  execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror "${f}" WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    list(APPEND bad "${f}")
  endif()
endforeach()
list(LENGTH files n)
if(bad)
  string(REPLACE ";" "\n  " text "${bad}")
  message(FATAL_ERROR "format: not laid out as .clang-format says (run `make format`):\n  ${text}")
endif()
message(STATUS "format: ${n} files as .clang-format lays them out")
