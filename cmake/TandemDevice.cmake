# tandem_add_device(): bind a device — RTL, bus, model, register map and hints — the same
# way for bundled devices and for a user's own.
#
#   tandem_add_device(NAME
#     RTL      <verilog sources...>      # the hardware truth
#     TOP      <top module>              # ports follow the bus's naming (the driver's header says which)
#     BUS      apb                       # a bus of the table (tandem_add_bus, cmake/TandemBuses.cmake)
#     MODEL    <C++ model sources...>    # the functional model (no Verilator include)
#     BINDING  <C++ sources...>          # defines tandem::DeviceBinding describe_<NAME>(); the bus,
#                                        # its data width and its edges per transfer are filled in
#                                        # from BUS and the verilated top, not restated there
#     [MAP      <map.rdl>]              # the register map (SystemRDL): generated headers, see below
#     [MAP_NAME <name>]                  # its generated names (default NAME; devices sharing a map share it)
#     [VERILATOR_ARGS <args...>]
#     [CLOCK <port>] [RESET <port>] [RESET_ACTIVE_LOW|RESET_ACTIVE_HIGH] [PORT_MAP <signal>=<port>...]
#     [UNUSED_PORTS <port>...] [PARAMETERS NAME=VALUE...] [INCLUDE_DIRS <dir>...] [DEFINES NAME[=V]...]
#                                        # a top with its own port names: a generated wrapper
#                                        # (cmake/TandemPorts.cmake says how)
#     [MODEL_OF <device> [RESET_OVERRIDES REG.FIELD=V...] [MODEL_OPTIONS k=v...] [MODEL_CONFIG <file>]]
#                                        # instead of MODEL and BINDING: another device's model,
#                                        # hints and map reused (cmake/TandemReuse.cmake says how)
#     [MODEL_OPTION_NAMES <name>...]     # the options this device's model takes when reused
#     [PINS <port>:in|out|watch[:<width>]...]  # peripheral pins: outputs compared every edge,
#                                        # inputs driven by the binding's line model, watched
#                                        # outputs only heard by it (docs/pins.md)
#     [NOT_BUNDLED]                      # bind it, but keep it out of bundled_devices() (its
#                                        # verilated top in tandem_rtl_unbundled, see below)
#     [NO_CHECKPOINT])                   # no --savable verilation (no `tandem run --checkpoint`)
#
# The model side may instead be one of QEMU's own device models, driven over qtest
# (bridge/qemu/include/tandem/qemu_device.h): MODEL_QEMU replaces MODEL, and BINDING becomes
# optional (without it the binding is the MAP and one interrupt line, "irq"):
#     MODEL_QEMU BINARY qemu-system-riscv64 MACHINE virt BASE 0x10000000
#     IRQ <QOM path>:<input line> CLOCK_HZ <the RTL's clock> [QUANTUM <cycles>] [QEMU_ARGS <args...>]
#     [RAM <base>:<size>]   # QEMU's guest RAM as tandem's guest memory (identity-mapped, 4 KiB-aligned)
#     [SERIAL]              # the guest's serial port into a pipe, its characters compared with
#                           # what the binding's line model decodes from a watched pin (PINS
#                           # <port>:watch; PinSource::take_serial): `serial` divergences
# The device is bound only when a qtest-capable BINARY is found at configure time (the cache
# variable TANDEM_QEMU, the environment variable TANDEM_QEMU, or `make qemu`'s cache); else it
# is left out with a message, and the variable TANDEM_QEMU_FOUND is OFF.
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
# A bundled device's verilated model lands in one library, tandem_rtl, with a distinct PREFIX
# V<NAME>; a NOT_BUNDLED device's in a second one, tandem_rtl_unbundled, which links tandem_rtl
# for Verilator's runtime (compiled once, in tandem_rtl). So a program of the bundled devices
# (tandem, a runner WITH_BUNDLED) compiles none of the tops only tests and test runners use.
# tandem_device_<NAME> holds the model, the binding and the generated glue that pairs the
# binding with its verilated top, and links the library its top is in.
# tandem_devices_library(TARGET) then generates `std::vector<DeviceBinding> bundled_devices()`.

find_package(verilator REQUIRED HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator)
include("${CMAKE_CURRENT_LIST_DIR}/TandemPorts.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/TandemReuse.cmake")
# tandem's own build names its targets tandem_bridge, ...; the installed package tandem::bridge.
if(TARGET tandem_bridge)
  set(_TANDEM_ENGINE tandem_engine)
  set(_TANDEM_BRIDGE tandem_bridge)
  set(_TANDEM_RDLGEN tandem-rdlgen)
else()
  set(_TANDEM_ENGINE tandem::engine)
  set(_TANDEM_BRIDGE tandem::bridge)
  set(_TANDEM_RDLGEN tandem::rdlgen)
endif()
option(TANDEM_CHECKPOINT "Verilate every device a second time with --savable (tandem run --checkpoint)" ON)
# Verilator's slow-path files (*__Slow.cpp, *__Syms.cpp: construction, initial and settle
# evaluation, trace declarations, --savable serialization) run once per model, not per cycle,
# so they need no -O3: -O1 saves 7% of their compile time (docs/measurements.md) and moves no
# instruction of a run's cycles. The per-cycle files keep the build type's flags. Set it empty
# to compile them like the rest.
set(TANDEM_VERILATOR_OPT_SLOW "-O1" CACHE STRING "Extra compile flags of Verilator's slow-path files")

# tandem_add_bus(NAME DRIVER <class template> HEADER <include path> [INCLUDE_DIR <dir>]): one
# row of the bus table. DRIVER is a class template over the verilated top (bridge/bus/include/
# tandem/bus_driver.h says what it provides), HEADER what the generated glue includes for it,
# INCLUDE_DIR where that header lives when it is not in tandem's bus library.
set_property(GLOBAL PROPERTY TANDEM_BUSES "")
function(tandem_add_bus NAME)
  cmake_parse_arguments(B "" "DRIVER;HEADER;INCLUDE_DIR" "" ${ARGN})
  if(NOT B_DRIVER OR NOT B_HEADER)
    message(FATAL_ERROR "tandem_add_bus(${NAME}): DRIVER and HEADER are required")
  endif()
  set_property(GLOBAL APPEND PROPERTY TANDEM_BUSES ${NAME})
  set_property(GLOBAL PROPERTY TANDEM_BUS_DRIVER_${NAME} ${B_DRIVER})
  set_property(GLOBAL PROPERTY TANDEM_BUS_HEADER_${NAME} ${B_HEADER})
  if(B_INCLUDE_DIR)
    get_filename_component(dir "${B_INCLUDE_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set_property(GLOBAL PROPERTY TANDEM_BUS_INCLUDE_DIR_${NAME} ${dir})
  endif()
endfunction()

function(tandem_add_device NAME)
  cmake_parse_arguments(D "NOT_BUNDLED;NO_CHECKPOINT;MODEL_QEMU;SERIAL;${_TANDEM_PORT_FLAGS}"
    "TOP;BUS;MAP;MAP_NAME;BINARY;MACHINE;BASE;IRQ;CLOCK_HZ;QUANTUM;RAM;MODEL_OF;MODEL_CONFIG;${_TANDEM_PORT_ONE}"
    "RTL;MODEL;BINDING;VERILATOR_ARGS;QEMU_ARGS;PINS;RESET_OVERRIDES;MODEL_OPTIONS;MODEL_OPTION_NAMES;${_TANDEM_PORT_MULTI}"
    ${ARGN})
  set(TANDEM_QEMU_INCLUDE "")
  set(TANDEM_QEMU_FACTORY "")
  if(D_MODEL_QEMU)
    tandem_qemu_model(${NAME})
    if(NOT TANDEM_QEMU_BINARY)
      return()
    endif()
  endif()
  set(_tandem_reuse_link "")
  set(_tandem_reuse_id "")
  if(D_MODEL_OF)
    _tandem_model_of(${NAME})
  elseif(D_RESET_OVERRIDES OR D_MODEL_OPTIONS OR D_MODEL_CONFIG)
    message(FATAL_ERROR "tandem_add_device(${NAME}): RESET_OVERRIDES, MODEL_OPTIONS and MODEL_CONFIG go with MODEL_OF")
  endif()
  if(NOT D_RTL OR NOT D_TOP OR NOT D_BUS OR NOT D_MODEL OR NOT D_BINDING)
    message(FATAL_ERROR "tandem_add_device(${NAME}): RTL, TOP, BUS, MODEL and BINDING are required")
  endif()
  get_property(buses GLOBAL PROPERTY TANDEM_BUSES)
  if(NOT D_BUS IN_LIST buses)
    string(REPLACE ";" ", " known "${buses}")
    message(FATAL_ERROR "tandem_add_device(${NAME}): unknown BUS '${D_BUS}' (known: ${known})")
  endif()
  get_property(TANDEM_BUS_DRIVER GLOBAL PROPERTY TANDEM_BUS_DRIVER_${D_BUS})
  get_property(TANDEM_BUS_HEADER GLOBAL PROPERTY TANDEM_BUS_HEADER_${D_BUS})
  get_property(bus_include_dir GLOBAL PROPERTY TANDEM_BUS_INCLUDE_DIR_${D_BUS})
  if(NOT NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "tandem_add_device(${NAME}): the name must be a C identifier")
  endif()
  _tandem_apply_port_map(${NAME})
  _tandem_pins(${NAME} "${D_PINS}")

  if(D_NOT_BUNDLED)
    set(rtl_lib tandem_rtl_unbundled)
  else()
    set(rtl_lib tandem_rtl)
  endif()
  _tandem_rtl_library(${rtl_lib})
  _tandem_verilate(${rtl_lib}
    SOURCES ${D_RTL}
    TOP_MODULE ${D_TOP}
    PREFIX V${NAME}
    TRACE_FST
    OPT_SLOW ${TANDEM_VERILATOR_OPT_SLOW}
    VERILATOR_ARGS ${D_VERILATOR_ARGS})
  set(TANDEM_SAVABLE_INCLUDE "")
  set(TANDEM_SAVABLE_FACTORY "")
  if(TANDEM_CHECKPOINT AND NOT D_NO_CHECKPOINT)
    _tandem_verilate(${rtl_lib}
      SOURCES ${D_RTL}
      TOP_MODULE ${D_TOP}
      PREFIX V${NAME}_savable
      OPT_SLOW ${TANDEM_VERILATOR_OPT_SLOW}
      VERILATOR_ARGS ${D_VERILATOR_ARGS} --savable)
    set(TANDEM_SAVABLE_INCLUDE "#include \"V${NAME}_savable.h\"")
    set(TANDEM_SAVABLE_FACTORY "b.make_savable_rtl = [pin_shift](const RtlOptions& options) -> std::unique_ptr<RtlTarget> {
    return std::make_unique<VerilatedHarness<V${NAME}_savable, ${TANDEM_BUS_DRIVER}, Pins>>(options, pin_shift);
  };")
  endif()
  # What a checkpoint must have been written by: these sources and arguments.
  set(id_input "${NAME};${D_TOP};${D_BUS};${D_VERILATOR_ARGS};${verilator_VERSION};${_tandem_reuse_id}")
  foreach(f ${D_RTL} ${D_MODEL} ${D_BINDING} ${D_MAP})
    if(f MATCHES "^${CMAKE_BINARY_DIR}")
      continue()  # generated (MODEL_QEMU's stand-ins): what generates it is hashed already
    endif()
    get_filename_component(abs "${f}" ABSOLUTE)
    file(SHA256 "${abs}" h)
    string(APPEND id_input ";${h}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${abs}")
  endforeach()
  string(SHA256 TANDEM_BUILD_ID "${id_input}")
  string(SUBSTRING "${TANDEM_BUILD_ID}" 0 16 TANDEM_BUILD_ID)

  # A model uses the engine's headers only (DESIGN.md: no Verilator, no bus, no front end).
  add_library(tandem_model_${NAME} STATIC ${D_MODEL})
  target_link_libraries(tandem_model_${NAME} PUBLIC ${_TANDEM_ENGINE})
  if(D_MODEL_QEMU)
    target_link_libraries(tandem_model_${NAME} PUBLIC tandem_qemu)
  endif()
  target_compile_options(tandem_model_${NAME} PRIVATE ${TANDEM_WARNINGS})

  set(glue "${CMAKE_CURRENT_BINARY_DIR}/tandem_glue_${NAME}.cpp")
  set(TANDEM_NAME ${NAME})
  set(TANDEM_BUS ${D_BUS})
  configure_file("${_TANDEM_CMAKE_DIR}/device_glue.cpp.in" "${glue}" @ONLY)
  add_library(tandem_device_${NAME} STATIC ${D_BINDING} "${glue}")
  target_link_libraries(tandem_device_${NAME} PUBLIC tandem_model_${NAME} ${rtl_lib} ${_TANDEM_BRIDGE})
  target_link_libraries(tandem_device_${NAME} PUBLIC ${_tandem_reuse_link})
  _tandem_declare_model_options(${NAME})
  target_compile_options(tandem_device_${NAME} PRIVATE ${TANDEM_WARNINGS})
  if(bus_include_dir)
    target_include_directories(tandem_device_${NAME} PRIVATE ${bus_include_dir})
  endif()
  # Verilator's own headers are not ours: no project warnings from them.
  target_include_directories(tandem_device_${NAME} SYSTEM PRIVATE ${verilator_DIR}/include ${verilator_DIR}/include/vltstd)
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

# The libraries of verilated tops (see above): tandem_rtl, with Verilator's runtime, and
# tandem_rtl_unbundled, which links it.
function(_tandem_rtl_library LIB)
  if(TARGET ${LIB})
    return()
  endif()
  add_library(${LIB} STATIC)
  # Verilator's generated code is not ours: no project warnings on it.
  target_compile_options(${LIB} PRIVATE -w)
  if(LIB STREQUAL "tandem_rtl")
    return()
  endif()
  _tandem_rtl_library(tandem_rtl)
  # Verilator's headers, for the runtime tandem_rtl compiles even with no top of its own.
  target_include_directories(tandem_rtl PUBLIC "${VERILATOR_ROOT}/include" "${VERILATOR_ROOT}/include/vltstd")
  target_link_libraries(${LIB} PUBLIC tandem_rtl)
endfunction()

# verilate() into LIB. verilate() adds Verilator's runtime sources (verilated.cpp,
# verilated_threads.cpp, verilated_fst_c.cpp, verilated_save.cpp: those the top needs) to every
# library it fills; in a library other than tandem_rtl they move to tandem_rtl, so the runtime
# is compiled and linked once.
function(_tandem_verilate LIB)
  verilate(${LIB} ${ARGN})
  if(LIB STREQUAL "tandem_rtl")
    return()
  endif()
  get_target_property(sources ${LIB} SOURCES)
  set(kept "")
  set(runtime "")
  foreach(s IN LISTS sources)
    string(FIND "${s}" "${VERILATOR_ROOT}/include/" at)
    if(at EQUAL 0 AND s MATCHES "\\.cpp$")
      list(APPEND runtime "${s}")
    else()
      list(APPEND kept "${s}")
    endif()
  endforeach()
  set_property(TARGET ${LIB} PROPERTY SOURCES "${kept}")
  target_sources(tandem_rtl PRIVATE ${runtime})
endfunction()

# PINS <name>:in|out[:<width>] ...: the top's peripheral pins (docs/pins.md). Sets, for the glue,
# TANDEM_PINS_STRUCT (how the harness drives and samples them, packed in declaration order)
# and TANDEM_PINS_HINTS (the binding's Hints::pins).
function(_tandem_pins NAME PINS)
  set(in_bits 0)
  set(out_bits 0)
  set(watch_bits 0)
  set(drive "")
  set(sample "")
  set(watch "")
  set(hints "")
  set(seen "")
  foreach(pin IN LISTS PINS)
    if(NOT pin MATCHES "^([A-Za-z_][A-Za-z0-9_]*):(in|out|watch)(:([0-9]+))?$")
      message(FATAL_ERROR "tandem_add_device(${NAME}): PINS entry '${pin}' is not <name>:in|out|watch[:<width>]")
    endif()
    set(name ${CMAKE_MATCH_1})
    set(dir ${CMAKE_MATCH_2})
    set(width 1)
    if(CMAKE_MATCH_4)
      set(width ${CMAKE_MATCH_4})
    endif()
    if(width LESS 1 OR width GREATER 32)
      message(FATAL_ERROR "tandem_add_device(${NAME}): pin '${name}' is ${width} bits wide (1 to 32)")
    endif()
    if(name IN_LIST seen)
      message(FATAL_ERROR "tandem_add_device(${NAME}): pin '${name}' is declared twice")
    endif()
    list(APPEND seen ${name})
    math(EXPR mask "(1 << ${width}) - 1" OUTPUT_FORMAT HEXADECIMAL)
    if(dir STREQUAL "in")
      string(APPEND drive "    t.${name} = static_cast<std::remove_reference_t<decltype(t.${name})>>((v >> ${in_bits}) & ${mask}ull);\n")
      math(EXPR in_bits "${in_bits} + ${width}")
      string(APPEND hints "{\"${name}\", PinDirection::input, ${width}}, ")
    elseif(dir STREQUAL "out")
      string(APPEND sample "    v |= (static_cast<uint32_t>(t.${name}) & ${mask}u) << ${out_bits};\n")
      math(EXPR out_bits "${out_bits} + ${width}")
      string(APPEND hints "{\"${name}\", PinDirection::output, ${width}}, ")
    else()
      string(APPEND watch "    v |= (static_cast<uint32_t>(t.${name}) & ${mask}u) << ${watch_bits};\n")
      math(EXPR watch_bits "${watch_bits} + ${width}")
      string(APPEND hints "{\"${name}\", PinDirection::watch, ${width}}, ")
    endif()
  endforeach()
  if(in_bits GREATER 64)
    message(FATAL_ERROR "tandem_add_device(${NAME}): ${in_bits} bits of input pins (at most 64)")
  endif()
  if(out_bits GREATER 32)
    message(FATAL_ERROR "tandem_add_device(${NAME}): ${out_bits} bits of output pins (at most 32)")
  endif()
  math(EXPR seen_bits "${out_bits} + ${watch_bits}")
  if(seen_bits GREATER 32)
    message(FATAL_ERROR "tandem_add_device(${NAME}): ${out_bits} bits of output pins and ${watch_bits} of watched pins (at most 32 together)")
  endif()
  set(s "struct Pins {\n  static constexpr unsigned kInputBits = ${in_bits};\n  static constexpr unsigned kOutputBits = ${out_bits};\n")
  string(APPEND s "  static constexpr unsigned kWatchBits = ${watch_bits};\n")
  string(APPEND s "  template <class T>\n  static void drive([[maybe_unused]] T& t, [[maybe_unused]] uint64_t v) {\n${drive}  }\n")
  string(APPEND s "  template <class T>\n  static uint32_t outputs([[maybe_unused]] const T& t) {\n    uint32_t v = 0;\n${sample}    return v;\n  }\n")
  string(APPEND s "  template <class T>\n  static uint32_t watched([[maybe_unused]] const T& t) {\n    uint32_t v = 0;\n${watch}    return v;\n  }\n};")
  set(TANDEM_PINS_STRUCT "${s}" PARENT_SCOPE)
  set(TANDEM_PINS_HINTS "${hints}" PARENT_SCOPE)
endfunction()

# The generated headers of one register map (see MAP above): an INTERFACE library
# tandem_regs_<NAME> that carries the include directory, and the target that generates them.
# Several devices may share one map; it is generated once.
function(tandem_register_map NAME RDL)
  get_filename_component(rdl "${RDL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(TARGET tandem_regs_${NAME})
    # One name, one map: a second file under the same name would get the first one's headers.
    get_property(first GLOBAL PROPERTY TANDEM_MAP_FILE_${NAME})
    if(NOT first STREQUAL rdl)
      message(FATAL_ERROR "register map '${NAME}' is ${first}; a second device gives it ${rdl} (MAP_NAME must differ)")
    endif()
    return()
  endif()
  set_property(GLOBAL PROPERTY TANDEM_MAP_FILE_${NAME} "${rdl}")
  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${rdl}")
  set(dir "${CMAKE_BINARY_DIR}/generated/tandem_regs")
  # The stamp, not the headers, is the command's output: tandem-rdlgen rewrites a header only
  # when its text changes, so a rebuilt generator (an edit in a library it links) runs again
  # but leaves the headers, and everything that includes them, alone.
  set(stamp "${CMAKE_BINARY_DIR}/generated/stamps/${NAME}.stamp")
  add_custom_command(OUTPUT "${stamp}"
    BYPRODUCTS "${dir}/${NAME}.hpp" "${dir}/${NAME}.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}" "${CMAKE_BINARY_DIR}/generated/stamps"
    COMMAND ${_TANDEM_RDLGEN} "${rdl}" --name ${NAME} --file "${shown}" --cxx "${dir}/${NAME}.hpp" --c "${dir}/${NAME}.h"
    COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
    DEPENDS ${_TANDEM_RDLGEN} "${rdl}"
    COMMENT "Register-map headers of ${NAME} from ${shown} (rewritten only when they change)")
  add_custom_target(tandem_regs_${NAME}_gen DEPENDS "${stamp}")
  add_library(tandem_regs_${NAME} INTERFACE)
  target_include_directories(tandem_regs_${NAME} INTERFACE "$<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/generated>")
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

# MODEL_QEMU (see tandem_add_device): find the qtest-capable binary, and set in the caller the
# model factory the glue gets, a stand-in MODEL source and, without BINDING, a generated one.
option(TANDEM_QEMU_DEVICES "Bind the MODEL_QEMU devices when a qtest-capable QEMU is found" ON)
set(TANDEM_QEMU "" CACHE FILEPATH "A qtest-capable qemu-system-* (default: $TANDEM_QEMU, then `make qemu`'s cache)")
macro(tandem_qemu_model NAME)
  if(NOT D_BINARY OR NOT D_MACHINE OR NOT D_BASE OR NOT D_CLOCK_HZ)
    message(FATAL_ERROR "tandem_add_device(${NAME}): MODEL_QEMU needs BINARY, MACHINE, BASE and CLOCK_HZ")
  endif()
  set(TANDEM_QEMU_BINARY "")
  if(TANDEM_QEMU)
    set(TANDEM_QEMU_BINARY "${TANDEM_QEMU}")
  elseif(DEFINED ENV{TANDEM_QEMU} AND NOT "$ENV{TANDEM_QEMU}" STREQUAL "")
    set(TANDEM_QEMU_BINARY "$ENV{TANDEM_QEMU}")
  else()
    if(DEFINED ENV{TANDEM_CACHE} AND NOT "$ENV{TANDEM_CACHE}" STREQUAL "")
      set(qemu_cache "$ENV{TANDEM_CACHE}")
    else()
      set(qemu_cache "$ENV{HOME}/.cache/tandem")
    endif()
    file(GLOB qemu_found "${qemu_cache}/qemu-*/build/${D_BINARY}")
    if(qemu_found)
      list(SORT qemu_found)
      list(GET qemu_found -1 TANDEM_QEMU_BINARY)
    endif()
  endif()
  if(NOT TANDEM_QEMU_DEVICES OR NOT TANDEM_QEMU_BINARY OR NOT EXISTS "${TANDEM_QEMU_BINARY}")
    message(STATUS "${NAME}: not bound: no qtest-capable ${D_BINARY} (run `make qemu`, or set TANDEM_QEMU)")
    set(TANDEM_QEMU_BINARY "")
    set(TANDEM_QEMU_FOUND OFF PARENT_SCOPE)
  else()
    message(STATUS "${NAME}: QEMU model side ${TANDEM_QEMU_BINARY}")
    set(TANDEM_QEMU_FOUND ON PARENT_SCOPE)
    set(TANDEM_QEMU_${NAME} "${TANDEM_QEMU_BINARY}" PARENT_SCOPE)
    set(irq_path "")
    set(irq_line 0)
    if(D_IRQ MATCHES "^(.*):([0-9]+)$")
      set(irq_path "${CMAKE_MATCH_1}")
      set(irq_line "${CMAKE_MATCH_2}")
    elseif(D_IRQ)
      message(FATAL_ERROR "tandem_add_device(${NAME}): IRQ '${D_IRQ}' is not <QOM path>:<line>")
    endif()
    if(NOT D_QUANTUM)
      set(D_QUANTUM 16)
    endif()
    set(ram_base 0)
    set(ram_size 0)
    if(D_RAM MATCHES "^(0x[0-9a-fA-F]+|[0-9]+):(0x[0-9a-fA-F]+|[0-9]+)$")
      set(ram_base "${CMAKE_MATCH_1}")
      set(ram_size "${CMAKE_MATCH_2}")
    elseif(D_RAM)
      message(FATAL_ERROR "tandem_add_device(${NAME}): RAM '${D_RAM}' is not <base>:<size>")
    endif()
    set(qemu_serial false)
    if(D_SERIAL)
      set(qemu_serial true)
    endif()
    set(qemu_args "")
    foreach(a ${D_QEMU_ARGS})
      string(APPEND qemu_args "\"${a}\", ")
    endforeach()
    set(TANDEM_QEMU_INCLUDE "#include <tandem/qemu_device.h>
namespace tandem {
// How ${NAME}'s QEMU is started and driven (also what `tandem-qemu qtest` translates with).
QemuOptions qemu_options_${NAME}() {
  QemuOptions o;
  o.binary = \"${TANDEM_QEMU_BINARY}\";
  o.machine = \"${D_MACHINE}\";
  o.base = ${D_BASE}u;
  o.irq_path = \"${irq_path}\";
  o.irq_line = ${irq_line};
  o.clock_hz = ${D_CLOCK_HZ}u;
  o.quantum = ${D_QUANTUM};
  o.ram_base = ${ram_base}u;
  o.ram_size = ${ram_size}u;
  o.extra_args = {${qemu_args}};
  o.capture_serial = ${qemu_serial};
  return o;
}
}  // namespace tandem")
    set(TANDEM_QEMU_FACTORY "b.make_model = [] { return std::unique_ptr<Device>(std::make_unique<QemuDevice>(qemu_options_${NAME}())); };")
    set(stand_in "${CMAKE_BINARY_DIR}/generated/qemu/${NAME}_model.cpp")
    file(CONFIGURE OUTPUT "${stand_in}" CONTENT "// Generated: ${NAME}'s model is a QEMU process (tandem_add_device MODEL_QEMU).\n")
    set(D_MODEL "${stand_in}")
    if(NOT D_BINDING)
      if(NOT D_MAP)
        message(FATAL_ERROR "tandem_add_device(${NAME}): MODEL_QEMU without BINDING needs MAP")
      endif()
      if(NOT D_MAP_NAME)
        set(D_MAP_NAME ${NAME})
      endif()
      set(D_BINDING "${CMAKE_BINARY_DIR}/generated/qemu/${NAME}_binding.cpp")
      file(CONFIGURE OUTPUT "${D_BINDING}" CONTENT "// Generated: ${NAME} bound in CMake alone (tandem_add_device MODEL_QEMU).
#include <tandem/binding.h>
#include <tandem/rdl.h>
#include <tandem_regs/${D_MAP_NAME}.hpp>
namespace tandem {
DeviceBinding describe_${NAME}() {
  DeviceBinding b;
  b.name = \"${NAME}\";
  b.description = \"QEMU's device model on ${D_MACHINE} at ${D_BASE}, over qtest\";
  b.regmap = to_register_map(parse_rdl(tandem_regs::${D_MAP_NAME}::kRdlText, tandem_regs::${D_MAP_NAME}::kRdlFile));
  b.regmap.name = \"${NAME}\";
  b.hints.irq_lines = {\"irq\"};
  return b;
}
}  // namespace tandem
")
    endif()
  endif()
endmacro()

set(_TANDEM_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
