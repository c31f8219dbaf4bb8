# tandem_add_device(): bind a device — RTL, bus, model, register map and hints — the same
# way for bundled devices and for a user's own.
#
#   tandem_add_device(NAME
#     RTL      <verilog sources...>      # the hardware truth
#     TOP      <top module>              # ports follow the bus's naming (see bridge/include/tandem/<bus>_target.h)
#     BUS      apb                       # bus driver
#     MODEL    <C++ model sources...>    # the functional model (no Verilator include)
#     BINDING  <C++ sources...>          # defines tandem::DeviceBinding describe_<NAME>()
#     [MAP      <map.rdl>]              # the register map (SystemRDL): generated headers, see below
#     [MAP_NAME <name>]                  # its generated names (default NAME; devices sharing a map share it)
#     [VERILATOR_ARGS <args...>]
#     [NOT_BUNDLED]                      # bind it, but keep it out of bundled_devices()
#     [NO_CHECKPOINT])                   # no --savable verilation (no `tandem run --checkpoint`)
#
# With TANDEM_CHECKPOINT (default ON) the RTL is verilated a second time with --savable, as
# PREFIX V<NAME>_savable (Verilator cannot combine --savable with --timing or --coverage, and
# the savable model has no trace): `tandem run --checkpoint/--resume` runs on that one. The
# binding's build_id hashes the RTL, model and binding sources and the Verilator arguments.
#
# MAP: the build runs tandem-rdlgen on the .rdl and gives the model, the binding and the
# firmware driver two generated headers (in <build>/generated):
#   #include <tandem_regs/NAME.hpp>  C++: namespace tandem_regs::NAME { REG, REG_RESET, REG_FIELD_LSB,
#                                    REG_FIELD_MASK, REG_FIELD_RESET, enums, kRdlText, kRdlFile }
#   #include <tandem_regs/NAME.h>    C: NAME_REG, NAME_REG_FIELD_MASK, ... (NAME in upper case)
# kRdlText is the .rdl itself, so a binding loads its map without reading the source tree:
#   tandem::parse_rdl(tandem_regs::NAME::kRdlText, tandem_regs::NAME::kRdlFile)
#
# Every device's verilated model lands in one library, tandem_rtl (so Verilator's runtime is
# compiled once), with a distinct PREFIX V<NAME>. tandem_device_<NAME> holds the model, the
# binding and the generated glue that pairs the binding with its verilated top.
# tandem_devices_library(TARGET) then generates `std::vector<DeviceBinding> bundled_devices()`.

find_package(verilator REQUIRED HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator)
option(TANDEM_CHECKPOINT "Verilate every device a second time with --savable (tandem run --checkpoint)" ON)

# Bus name -> driver class template (bridge/include/tandem/<bus>_target.h).
set(_TANDEM_BUSES apb)
set(_TANDEM_BUS_CLASS_apb ApbTarget)

function(tandem_add_device NAME)
  cmake_parse_arguments(D "NOT_BUNDLED;NO_CHECKPOINT" "TOP;BUS;MAP;MAP_NAME" "RTL;MODEL;BINDING;VERILATOR_ARGS" ${ARGN})
  if(NOT D_RTL OR NOT D_TOP OR NOT D_BUS OR NOT D_MODEL OR NOT D_BINDING)
    message(FATAL_ERROR "tandem_add_device(${NAME}): RTL, TOP, BUS, MODEL and BINDING are required")
  endif()
  if(NOT D_BUS IN_LIST _TANDEM_BUSES)
    message(FATAL_ERROR "tandem_add_device(${NAME}): unknown BUS '${D_BUS}' (known: ${_TANDEM_BUSES})")
  endif()
  if(NOT NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "tandem_add_device(${NAME}): the name must be a C identifier")
  endif()

  if(NOT TARGET tandem_rtl)
    add_library(tandem_rtl STATIC)
    # Verilator's generated code is not ours: no project warnings on it.
    target_compile_options(tandem_rtl PRIVATE -w)
  endif()
  verilate(tandem_rtl
    SOURCES ${D_RTL}
    TOP_MODULE ${D_TOP}
    PREFIX V${NAME}
    TRACE_FST
    VERILATOR_ARGS ${D_VERILATOR_ARGS})
  set(TANDEM_SAVABLE_INCLUDE "")
  set(TANDEM_SAVABLE_FACTORY "")
  if(TANDEM_CHECKPOINT AND NOT D_NO_CHECKPOINT)
    verilate(tandem_rtl
      SOURCES ${D_RTL}
      TOP_MODULE ${D_TOP}
      PREFIX V${NAME}_savable
      VERILATOR_ARGS ${D_VERILATOR_ARGS} --savable)
    set(TANDEM_SAVABLE_INCLUDE "#include \"V${NAME}_savable.h\"")
    set(TANDEM_SAVABLE_FACTORY "b.make_savable_rtl = [](const RtlOptions& options) -> std::unique_ptr<RtlTarget> {
    return std::make_unique<${_TANDEM_BUS_CLASS_${D_BUS}}<V${NAME}_savable>>(options);
  };")
  endif()
  # What a checkpoint must have been written by: these sources and arguments.
  set(id_input "${NAME};${D_TOP};${D_BUS};${D_VERILATOR_ARGS};${verilator_VERSION}")
  foreach(f ${D_RTL} ${D_MODEL} ${D_BINDING} ${D_MAP})
    get_filename_component(abs "${f}" ABSOLUTE)
    file(SHA256 "${abs}" h)
    string(APPEND id_input ";${h}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${abs}")
  endforeach()
  string(SHA256 TANDEM_BUILD_ID "${id_input}")
  string(SUBSTRING "${TANDEM_BUILD_ID}" 0 16 TANDEM_BUILD_ID)

  add_library(tandem_model_${NAME} STATIC ${D_MODEL})
  target_link_libraries(tandem_model_${NAME} PUBLIC tandem_bridge)

  set(glue "${CMAKE_CURRENT_BINARY_DIR}/tandem_glue_${NAME}.cpp")
  set(TANDEM_NAME ${NAME})
  set(TANDEM_BUS ${D_BUS})
  set(TANDEM_BUS_CLASS ${_TANDEM_BUS_CLASS_${D_BUS}})
  configure_file("${_TANDEM_CMAKE_DIR}/device_glue.cpp.in" "${glue}" @ONLY)
  add_library(tandem_device_${NAME} STATIC ${D_BINDING} "${glue}")
  target_link_libraries(tandem_device_${NAME} PUBLIC tandem_model_${NAME} tandem_rtl tandem_bridge)
  if(D_MAP)
    if(NOT D_MAP_NAME)
      set(D_MAP_NAME ${NAME})
    endif()
    tandem_register_map(${D_MAP_NAME} ${D_MAP})
    target_link_libraries(tandem_model_${NAME} PUBLIC tandem_regs_${D_MAP_NAME})
    add_dependencies(tandem_model_${NAME} tandem_regs_${D_MAP_NAME}_gen)
    add_dependencies(tandem_device_${NAME} tandem_regs_${D_MAP_NAME}_gen)
  endif()
  if(NOT D_NOT_BUNDLED)
    set_property(GLOBAL APPEND PROPERTY TANDEM_DEVICES ${NAME})
  endif()
endfunction()

# The generated headers of one register map (see MAP above): an INTERFACE library
# tandem_regs_<NAME> that carries the include directory, and the target that generates them.
# Several devices may share one map; it is generated once.
function(tandem_register_map NAME RDL)
  if(TARGET tandem_regs_${NAME})
    return()
  endif()
  get_filename_component(rdl "${RDL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${rdl}")
  set(dir "${CMAKE_BINARY_DIR}/generated/tandem_regs")
  add_custom_command(OUTPUT "${dir}/${NAME}.hpp" "${dir}/${NAME}.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND tandem-rdlgen "${rdl}" --name ${NAME} --file "${shown}" --cxx "${dir}/${NAME}.hpp" --c "${dir}/${NAME}.h"
    DEPENDS tandem-rdlgen "${rdl}"
    COMMENT "Generating register-map headers of ${NAME} from ${shown}")
  add_custom_target(tandem_regs_${NAME}_gen DEPENDS "${dir}/${NAME}.hpp" "${dir}/${NAME}.h")
  add_library(tandem_regs_${NAME} INTERFACE)
  target_include_directories(tandem_regs_${NAME} INTERFACE "${CMAKE_BINARY_DIR}/generated")
  add_dependencies(tandem_regs_${NAME} tandem_regs_${NAME}_gen)
endfunction()

function(tandem_devices_library TARGET)
  get_property(devices GLOBAL PROPERTY TANDEM_DEVICES)
  set(decls "")
  set(calls "")
  foreach(d ${devices})
    string(APPEND decls "DeviceBinding binding_${d}();\n")
    string(APPEND calls "  devices.push_back(binding_${d}());\n")
  endforeach()
  set(src "${CMAKE_CURRENT_BINARY_DIR}/${TARGET}_bundled.cpp")
  file(CONFIGURE OUTPUT "${src}" CONTENT "// Generated by tandem_devices_library(): every device bound with tandem_add_device().
#include <tandem/binding.h>

namespace tandem {
@decls@
std::vector<DeviceBinding> bundled_devices() {
  std::vector<DeviceBinding> devices;
@calls@  return devices;
}
}  // namespace tandem
" @ONLY)
  add_library(${TARGET} STATIC "${src}")
  foreach(d ${devices})
    target_link_libraries(${TARGET} PUBLIC tandem_device_${d})
  endforeach()
endfunction()

set(_TANDEM_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
