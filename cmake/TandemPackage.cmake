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
  cmake/TandemDevice.cmake cmake/TandemPorts.cmake cmake/TandemReuse.cmake cmake/TandemBuses.cmake cmake/TandemRunner.cmake
  cmake/device_glue.cpp.in cmake/runner_main.cpp.in
  DESTINATION ${_tandem_cmake_dest})

# The bundled devices as reusable parts: their models (tandem::model_<device>), bindings with
# their verilated RTL (tandem::device_<device>, tandem::bundled_rtl), the list of them all
# (tandem::bundled_devices, for tandem_add_runner(... WITH_BUNDLED)), their maps' generated
# headers (include/tandem_regs) and .rdl sources (share/tandem/maps).
get_property(_tandem_bundled GLOBAL PROPERTY TANDEM_DEVICES)
set(_tandem_parts tandem_devices tandem_rtl)
foreach(d IN LISTS _tandem_bundled)
  set_target_properties(tandem_device_${d} PROPERTIES EXPORT_NAME device_${d})
  set_target_properties(tandem_model_${d} PROPERTIES EXPORT_NAME model_${d})
  list(APPEND _tandem_parts tandem_device_${d} tandem_model_${d})
  get_target_property(_libs tandem_model_${d} LINK_LIBRARIES)
  foreach(lib IN LISTS _libs)
    if(lib MATCHES "^tandem_regs_" AND NOT lib IN_LIST _tandem_parts)
      list(APPEND _tandem_parts ${lib})
      string(REGEX REPLACE "^tandem_" "" _regs_name ${lib})
      set_target_properties(${lib} PROPERTIES EXPORT_NAME ${_regs_name})
      target_include_directories(${lib} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    endif()
  endforeach()
endforeach()
set_target_properties(tandem_devices PROPERTIES EXPORT_NAME bundled_devices)
# Verilator names its output directories (in this build tree) in tandem_rtl's interface; the
# installed copy needs none: its users call binding_<device>(), never a verilated class.
get_target_property(_rtl_dirs tandem_rtl INTERFACE_INCLUDE_DIRECTORIES)
set(_rtl_interface "")
foreach(dir IN LISTS _rtl_dirs)
  list(APPEND _rtl_interface "$<BUILD_INTERFACE:${dir}>")
endforeach()
set_target_properties(tandem_rtl PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_rtl_interface}" EXPORT_NAME bundled_rtl)
install(TARGETS ${_tandem_parts} EXPORT tandemTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_BINARY_DIR}/generated/tandem_regs/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tandem_regs)
foreach(d IN LISTS _tandem_bundled)
  file(GLOB _rdl ${CMAKE_SOURCE_DIR}/devices/${d}/*.rdl)
  install(FILES ${_rdl} DESTINATION ${CMAKE_INSTALL_DATADIR}/tandem/maps)
endforeach()
