# The installed package (CMakeLists.txt includes this last): exported targets under tandem::,
# headers, tandem-rdlgen and the CMake files of tandem_add_device and tandem_add_runner.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_tandem_exported engine bus io regmap search report bridge cli)
foreach(role IN LISTS _tandem_exported)
  set_target_properties(tandem_${role} PROPERTIES EXPORT_NAME ${role})
endforeach()
set_target_properties(tandem-rdlgen PROPERTIES EXPORT_NAME rdlgen)
list(TRANSFORM _tandem_exported PREPEND tandem_ OUTPUT_VARIABLE _tandem_targets)
install(TARGETS ${_tandem_targets} tandem-rdlgen tandem EXPORT tandemTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(role engine bus io regmap search report)
  install(DIRECTORY bridge/${role}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
# The runner's entry point (run_cli) and the Command interface a runner may extend.
install(FILES apps/cli.h apps/command.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tandem/cli)

set(_tandem_cmake_dest ${CMAKE_INSTALL_LIBDIR}/cmake/tandem)
install(EXPORT tandemTargets NAMESPACE tandem:: DESTINATION ${_tandem_cmake_dest})
configure_package_config_file(cmake/tandemConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/tandemConfig.cmake
  INSTALL_DESTINATION ${_tandem_cmake_dest})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tandemConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tandemConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/tandemConfigVersion.cmake
  cmake/TandemDevice.cmake cmake/TandemPorts.cmake cmake/TandemBuses.cmake cmake/TandemRunner.cmake
  cmake/device_glue.cpp.in cmake/runner_main.cpp.in
  DESTINATION ${_tandem_cmake_dest})
