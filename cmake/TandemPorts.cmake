# Port maps and RTL options of tandem_add_device (cmake/TandemDevice.cmake): a user's top with
# its own port names, reset polarity and parameters, bound without a hand-written adapter.
#
#   tandem_add_device(NAME ... TOP <their top> BUS <bus>
#     [CLOCK <port>] [RESET <port>] [RESET_ACTIVE_LOW | RESET_ACTIVE_HIGH]
#     [PORT_MAP <bus signal>=<their port> ...]   # pready=PREADY, irq=o_irq, ...
#     [UNUSED_PORTS <their port> ...]            # inputs tied to 0, outputs left open
#     [PARAMETERS NAME=VALUE ...] [INCLUDE_DIRS <dir> ...] [DEFINES NAME[=VALUE] ...])
#
# With any of CLOCK, RESET, RESET_ACTIVE_*, PORT_MAP, UNUSED_PORTS or PARAMETERS (or
# TANDEM_CHECK_PORTS ON, which the installed package sets for every device of a user's
# project), configure time reads the top's ports from Verilator (--xml-only, with the device's
# own arguments) and GENERATES a SystemVerilog wrapper, tandem_wrap_<NAME>, whose ports carry
# the bus's names (cmake/TandemBuses.cmake, tandem_bus_ports) and which instantiates the top
# with the map, the parameters and the reset inverted when its polarity is not the bus's.
# A wrapper, not a C++-side renaming: the bus drivers and the harness stay templates over a
# top with the bus's names (no driver learns a second spelling), Verilator sees the reset
# inversion and the parameters as RTL, and the FST trace shows both spellings.
#
# Every port is accounted for, so a misspelled one is never silently not compared: a map
# entry naming a port the top lacks, a required bus port that is not there, or a port of the
# top that nothing connects (and UNUSED_PORTS does not list) is a configure error that prints
# the top's actual ports; an optional bus port (pready, pslverr, irq, ...) that is absent is
# reported at configure time with the same list. Peripheral pins (PINS, docs/pins.md) pass
# through the wrapper under their own names, each checked against the top's ports.
#
# INCLUDE_DIRS and DEFINES go to Verilator (-I, -D) for both the build and the lint test
# lint_<NAME> that the device gets: the user's RTL linted with the user's flags
# (VERILATOR_ARGS), not by tandem's own lint test, which covers tandem's rtl/ only.

# tandem_bus_ports(BUS CLOCK <port> RESET <port> RESET_ACTIVE_LOW|RESET_ACTIVE_HIGH
#                  PORTS <required...> [OPTIONAL <optional...>]): the pin names of one bus of
# the table, as its driver (bridge/bus/include/tandem/*_driver.h) spells them.
function(tandem_bus_ports BUS)
  cmake_parse_arguments(P "RESET_ACTIVE_LOW;RESET_ACTIVE_HIGH" "CLOCK;RESET" "PORTS;OPTIONAL" ${ARGN})
  if(NOT P_CLOCK OR NOT P_RESET OR NOT P_PORTS OR P_RESET_ACTIVE_LOW STREQUAL P_RESET_ACTIVE_HIGH)
    message(FATAL_ERROR "tandem_bus_ports(${BUS}): CLOCK, RESET, PORTS and one of RESET_ACTIVE_LOW/HIGH are required")
  endif()
  set_property(GLOBAL PROPERTY TANDEM_BUS_CLOCK_${BUS} ${P_CLOCK})
  set_property(GLOBAL PROPERTY TANDEM_BUS_RESET_${BUS} ${P_RESET})
  set_property(GLOBAL PROPERTY TANDEM_BUS_RESET_LOW_${BUS} ${P_RESET_ACTIVE_LOW})
  set_property(GLOBAL PROPERTY TANDEM_BUS_PORTS_${BUS} ${P_PORTS})
  set_property(GLOBAL PROPERTY TANDEM_BUS_OPTIONAL_${BUS} ${P_OPTIONAL})
endfunction()

# Ports the harness uses under every bus (verilated_harness.h, master_port.h).
set(_TANDEM_COMMON_OPTIONAL_PORTS irq m_valid m_write m_addr m_size m_wdata m_ready m_rvalid m_rdata)

# The keywords tandem_add_device takes for this (its cmake_parse_arguments).
set(_TANDEM_PORT_FLAGS "RESET_ACTIVE_LOW;RESET_ACTIVE_HIGH")
set(_TANDEM_PORT_ONE "CLOCK;RESET")
set(_TANDEM_PORT_MULTI "PORT_MAP;UNUSED_PORTS;PARAMETERS;INCLUDE_DIRS;DEFINES")

# The top's ports, from Verilator's XML of the elaborated design: sets <prefix>_NAMES and, per
# port, <prefix>_DIR_<port> (input/output/inout) and <prefix>_WIDTH_<port>.
function(_tandem_read_ports NAME TOP ARGS PREFIX)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/tandem_ports/${NAME}")
  file(MAKE_DIRECTORY "${dir}")
  execute_process(
    COMMAND ${VERILATOR_BIN} --xml-only --xml-output "${dir}/top.xml" -Mdir "${dir}/obj" --top-module ${TOP} ${ARGS}
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REGEX REPLACE "\n.*" "" first "${err}")
    message(FATAL_ERROR "tandem_add_device(${NAME}): Verilator cannot read the top '${TOP}': ${first}")
  endif()
  file(READ "${dir}/top.xml" xml)
  string(FIND "${xml}" "topModule=\"1\"" at)
  string(SUBSTRING "${xml}" ${at} -1 xml)
  string(FIND "${xml}" "</module>" end)
  string(SUBSTRING "${xml}" 0 ${end} module)
  string(REGEX MATCHALL "<var [^>]*pinIndex=\"[0-9]+\"[^>]*>" vars "${module}")
  set(names "")
  foreach(v IN LISTS vars)
    string(REGEX REPLACE ".* name=\"([^\"]+)\".*" "\\1" port "${v}")
    string(REGEX REPLACE ".* dir=\"([^\"]+)\".*" "\\1" direction "${v}")
    string(REGEX REPLACE ".* dtype_id=\"([0-9]+)\".*" "\\1" id "${v}")
    set(width 1)
    if(xml MATCHES "<basicdtype [^>]*id=\"${id}\"[^>]*left=\"([0-9]+)\" right=\"([0-9]+)\"")
      math(EXPR width "${CMAKE_MATCH_1} - ${CMAKE_MATCH_2} + 1")
    elseif(NOT xml MATCHES "<basicdtype [^>]*id=\"${id}\"")
      message(FATAL_ERROR "tandem_add_device(${NAME}): port ${port} of '${TOP}' is not a plain packed vector (struct, array or interface ports need a wrapper)")
    endif()
    list(APPEND names ${port})
    set(${PREFIX}_DIR_${port} ${direction} PARENT_SCOPE)
    set(${PREFIX}_WIDTH_${port} ${width} PARENT_SCOPE)
  endforeach()
  set(${PREFIX}_NAMES ${names} PARENT_SCOPE)
endfunction()

# Rewrites the caller's D_TOP, D_RTL and D_VERILATOR_ARGS to bind the generated wrapper.
macro(_tandem_apply_port_map NAME)
  set(_tp_extra "")
  foreach(_tp_dir IN LISTS D_INCLUDE_DIRS)
    get_filename_component(_tp_dir "${_tp_dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND _tp_extra "-I${_tp_dir}")
  endforeach()
  foreach(_tp_def IN LISTS D_DEFINES)
    list(APPEND _tp_extra "-D${_tp_def}")
  endforeach()
  list(APPEND D_VERILATOR_ARGS ${_tp_extra})
  if(D_CLOCK OR D_RESET OR D_RESET_ACTIVE_LOW OR D_RESET_ACTIVE_HIGH OR D_PORT_MAP OR D_UNUSED_PORTS OR D_PARAMETERS
     OR TANDEM_CHECK_PORTS)
    _tandem_generate_wrapper(${NAME} _tp_wrapper)
    list(APPEND D_RTL "${_tp_wrapper}")
    set(D_TOP tandem_wrap_${NAME})
  endif()
endmacro()

function(_tandem_generate_wrapper NAME OUT)
  get_property(bus_clock GLOBAL PROPERTY TANDEM_BUS_CLOCK_${D_BUS})
  if(NOT bus_clock)
    message(FATAL_ERROR "tandem_add_device(${NAME}): bus '${D_BUS}' has no port table (tandem_bus_ports): bind its top with the bus's own port names")
  endif()
  get_property(bus_reset GLOBAL PROPERTY TANDEM_BUS_RESET_${D_BUS})
  get_property(bus_reset_low GLOBAL PROPERTY TANDEM_BUS_RESET_LOW_${D_BUS})
  get_property(required GLOBAL PROPERTY TANDEM_BUS_PORTS_${D_BUS})
  get_property(optional GLOBAL PROPERTY TANDEM_BUS_OPTIONAL_${D_BUS})
  list(APPEND optional ${_TANDEM_COMMON_OPTIONAL_PORTS})
  if(D_RESET_ACTIVE_LOW AND D_RESET_ACTIVE_HIGH)
    message(FATAL_ERROR "tandem_add_device(${NAME}): RESET_ACTIVE_LOW and RESET_ACTIVE_HIGH both given")
  endif()

  set(sources "")
  foreach(f IN LISTS D_RTL)
    get_filename_component(f "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND sources "${f}")
  endforeach()
  set(params "")
  set(overrides "")
  foreach(p IN LISTS D_PARAMETERS)
    if(NOT p MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=(.+)$")
      message(FATAL_ERROR "tandem_add_device(${NAME}): PARAMETERS '${p}' is not NAME=VALUE")
    endif()
    list(APPEND params "-G${p}")
    list(APPEND overrides ".${CMAKE_MATCH_1}(${CMAKE_MATCH_2})")
  endforeach()
  _tandem_read_ports(${NAME} ${D_TOP} "${D_VERILATOR_ARGS};${params};${sources}" top)
  string(REPLACE ";" " " port_list "${top_NAMES}")
  set(shown "(the ports of '${D_TOP}': ${port_list})")

  # bus signal -> their port: the map, CLOCK and RESET first, then same-named ports.
  set(mapped "")
  foreach(entry IN LISTS D_PORT_MAP)
    if(NOT entry MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z_][A-Za-z0-9_$]*)$")
      message(FATAL_ERROR "tandem_add_device(${NAME}): PORT_MAP '${entry}' is not <bus signal>=<port>")
    endif()
    set(signal ${CMAKE_MATCH_1})
    set(port ${CMAKE_MATCH_2})
    if(NOT signal IN_LIST required AND NOT signal IN_LIST optional)
      string(REPLACE ";" " " known "${required};${optional}")
      message(FATAL_ERROR "tandem_add_device(${NAME}): PORT_MAP ${entry}: '${signal}' is no signal of bus ${D_BUS} (its signals: ${known}; CLOCK and RESET name the clock and reset)")
    endif()
    set(map_${signal} ${port})
  endforeach()
  if(D_CLOCK)
    set(map_${bus_clock} ${D_CLOCK})
  endif()
  if(D_RESET)
    set(map_${bus_reset} ${D_RESET})
  endif()
  set(absent "")
  foreach(signal ${bus_clock} ${bus_reset} ${required} ${optional})
    if(DEFINED map_${signal})
      if(NOT map_${signal} IN_LIST top_NAMES)
        message(FATAL_ERROR "tandem_add_device(${NAME}): ${signal} is mapped to '${map_${signal}}', which '${D_TOP}' does not have ${shown}")
      endif()
    elseif(signal IN_LIST top_NAMES)
      set(map_${signal} ${signal})
    elseif(signal IN_LIST optional)
      list(APPEND absent ${signal})
      continue()
    else()
      message(FATAL_ERROR "tandem_add_device(${NAME}): bus ${D_BUS} needs '${signal}', which '${D_TOP}' does not have: map it with PORT_MAP ${signal}=<port> ${shown}")
    endif()
    list(APPEND mapped ${signal})
  endforeach()
  # The master port is all or nothing (master_port.h).
  set(master m_valid m_write m_addr m_size m_wdata m_ready m_rvalid m_rdata)
  set(master_mapped "")
  foreach(signal IN LISTS master)
    if(signal IN_LIST mapped)
      list(APPEND master_mapped ${signal})
    endif()
  endforeach()
  if(master_mapped AND NOT master_mapped STREQUAL master)
    string(REPLACE ";" " " got "${master_mapped}")
    message(FATAL_ERROR "tandem_add_device(${NAME}): the bus-master port needs all of m_valid m_write m_addr m_size m_wdata m_ready m_rvalid m_rdata; only ${got} are mapped ${shown}")
  endif()
  list(REMOVE_ITEM absent ${master})
  if(NOT master_mapped)
    list(APPEND absent "m_* (bus-master port)")
  endif()

  # Every port of the top is connected, or named unused.
  set(used "")
  foreach(signal IN LISTS mapped)
    list(APPEND used ${map_${signal}})
  endforeach()
  foreach(port IN LISTS D_UNUSED_PORTS)
    if(NOT port IN_LIST top_NAMES)
      message(FATAL_ERROR "tandem_add_device(${NAME}): UNUSED_PORTS names '${port}', which '${D_TOP}' does not have ${shown}")
    endif()
    if(port IN_LIST used)
      message(FATAL_ERROR "tandem_add_device(${NAME}): UNUSED_PORTS names '${port}', which is mapped")
    endif()
  endforeach()
  # Peripheral pins (PINS, docs/pins.md) pass through the wrapper under their own names.
  set(pin_ports "")
  foreach(pin IN LISTS D_PINS)
    string(REGEX REPLACE ":.*" "" port "${pin}")
    string(REGEX MATCH ":(in|out|watch)" dir "${pin}")
    if(NOT port IN_LIST top_NAMES)
      message(FATAL_ERROR "tandem_add_device(${NAME}): PINS names '${port}', which '${D_TOP}' does not have ${shown}")
    endif()
    if(port IN_LIST used OR port IN_LIST D_UNUSED_PORTS)
      message(FATAL_ERROR "tandem_add_device(${NAME}): PINS names '${port}', which is mapped or unused")
    endif()
    if((dir STREQUAL ":in" AND NOT top_DIR_${port} STREQUAL "input")
       OR ((dir STREQUAL ":out" OR dir STREQUAL ":watch") AND NOT top_DIR_${port} STREQUAL "output"))
      message(FATAL_ERROR "tandem_add_device(${NAME}): PINS declares '${pin}', but '${port}' is an ${top_DIR_${port}} of '${D_TOP}'")
    endif()
    list(APPEND pin_ports ${port})
    list(APPEND used ${port})
  endforeach()
  set(unconnected "")
  foreach(port IN LISTS top_NAMES)
    if(NOT port IN_LIST used AND NOT port IN_LIST D_UNUSED_PORTS)
      list(APPEND unconnected ${port})
    endif()
  endforeach()
  if(unconnected)
    string(REPLACE ";" " " unconnected "${unconnected}")
    message(FATAL_ERROR "tandem_add_device(${NAME}): ports of '${D_TOP}' that nothing connects: ${unconnected}: map each with PORT_MAP <bus signal>=<port> or list it in UNUSED_PORTS ${shown}")
  endif()
  string(REPLACE ";" ", " absent_text "${absent}")
  message(STATUS "tandem_add_device(${NAME}): ${D_BUS} optional ports absent, not compared: ${absent_text} ${shown}")

  # Reset polarity: the user's (default: the bus's) against the bus's.
  set(invert OFF)
  if((D_RESET_ACTIVE_HIGH AND bus_reset_low) OR (D_RESET_ACTIVE_LOW AND NOT bus_reset_low))
    set(invert ON)
  endif()

  set(decls "")
  set(conns "")
  foreach(signal IN LISTS mapped)
    set(port ${map_${signal}})
    set(direction ${top_DIR_${port}})
    if(direction STREQUAL "inout")
      message(FATAL_ERROR "tandem_add_device(${NAME}): ${port} is an inout port; tandem's buses have none")
    endif()
    set(range "")
    if(top_WIDTH_${port} GREATER 1)
      math(EXPR msb "${top_WIDTH_${port}} - 1")
      set(range "[${msb}:0] ")
    endif()
    list(APPEND decls "    ${direction} logic ${range}${signal}")
    if(signal STREQUAL bus_reset AND invert)
      list(APPEND conns "      .${port}(!${signal})")
    else()
      list(APPEND conns "      .${port}(${signal})")
    endif()
  endforeach()
  foreach(port IN LISTS pin_ports)
    set(range "")
    if(top_WIDTH_${port} GREATER 1)
      math(EXPR msb "${top_WIDTH_${port}} - 1")
      set(range "[${msb}:0] ")
    endif()
    list(APPEND decls "    ${top_DIR_${port}} logic ${range}${port}")
    list(APPEND conns "      .${port}(${port})")
  endforeach()
  foreach(port IN LISTS D_UNUSED_PORTS)
    if(top_DIR_${port} STREQUAL "input")
      list(APPEND conns "      .${port}('0)")
    else()
      list(APPEND conns "      .${port}()")
    endif()
  endforeach()
  string(REPLACE ";" ",\n" decls "${decls}")
  string(REPLACE ";" ",\n" conns "${conns}")
  set(param_text "")
  if(overrides)
    string(REPLACE ";" ", " param_text "${overrides}")
    set(param_text " #(${param_text})")
  endif()
  set(file "${CMAKE_CURRENT_BINARY_DIR}/tandem_ports/${NAME}/tandem_wrap_${NAME}.sv")
  file(CONFIGURE OUTPUT "${file}" CONTENT "// Generated by tandem_add_device(${NAME}) (cmake/TandemPorts.cmake): the ${D_BUS} bus's
// port names around ${D_TOP}; edit the binding's PORT_MAP, not this file.
/* verilator lint_off PINCONNECTEMPTY */
module tandem_wrap_${NAME} (
${decls}
);
  ${D_TOP}${param_text} dut (
${conns}
  );
endmodule
/* verilator lint_on PINCONNECTEMPTY */
" @ONLY)
  set(${OUT} "${file}" PARENT_SCOPE)

  # The user's RTL, linted with the user's flags (not tandem's lint test: that covers rtl/).
  add_test(NAME lint_${NAME} COMMAND ${VERILATOR_BIN} --lint-only --top-module ${D_TOP} ${D_VERILATOR_ARGS} ${params}
    ${sources})
endfunction()
