# tandem_add_runner(NAME DEVICES <device...> [SOURCES <C++ sources...>]): a user's own runner,
# an executable with every command of `tandem` (list, run, replay, shrink, fuzz, regtest,
# regmap, snapshot, bench, ...) over the devices bound with tandem_add_device().
#
# SOURCES, when given, define `void tandem::add_runner_devices(std::vector<DeviceBinding>&)`,
# called after the listed devices are in: a runner's own variants (a seeded-bug model of one of
# them, as examples/out-of-tree does) without another verilation.
function(tandem_add_runner NAME)
  cmake_parse_arguments(R "" "" "DEVICES;SOURCES" ${ARGN})
  if(NOT R_DEVICES)
    message(FATAL_ERROR "tandem_add_runner(${NAME}): DEVICES is required")
  endif()
  set(TANDEM_RUNNER_NAME ${NAME})
  set(TANDEM_RUNNER_DECLS "")
  set(TANDEM_RUNNER_CALLS "")
  foreach(d IN LISTS R_DEVICES)
    if(NOT TARGET tandem_device_${d})
      message(FATAL_ERROR "tandem_add_runner(${NAME}): no device '${d}' (bind it with tandem_add_device first)")
    endif()
    string(APPEND TANDEM_RUNNER_DECLS "DeviceBinding binding_${d}();\n")
    string(APPEND TANDEM_RUNNER_CALLS "  devices.push_back(tandem::binding_${d}());\n")
  endforeach()
  if(R_SOURCES)
    string(APPEND TANDEM_RUNNER_DECLS "void add_runner_devices(std::vector<DeviceBinding>& devices);\n")
    string(APPEND TANDEM_RUNNER_CALLS "  tandem::add_runner_devices(devices);\n")
  endif()
  # tandem's own tree includes its command line from the source root; the package installs it.
  if(TARGET tandem_cli)
    set(TANDEM_RUNNER_CLI_HEADER "\"apps/cli.h\"")
  else()
    set(TANDEM_RUNNER_CLI_HEADER "<tandem/cli/cli.h>")
  endif()
  set(main "${CMAKE_CURRENT_BINARY_DIR}/tandem_runner_${NAME}.cpp")
  configure_file("${_TANDEM_CMAKE_DIR}/runner_main.cpp.in" "${main}" @ONLY)
  add_executable(${NAME} "${main}" ${R_SOURCES})
  list(TRANSFORM R_DEVICES PREPEND tandem_device_)
  if(TARGET tandem_cli)
    target_link_libraries(${NAME} PRIVATE tandem_cli ${R_DEVICES})
  else()
    target_link_libraries(${NAME} PRIVATE tandem::cli ${R_DEVICES})
  endif()
endfunction()
