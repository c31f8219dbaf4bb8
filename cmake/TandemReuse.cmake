# Reusing another device's model for your RTL, in CMake alone (tandem_add_device MODEL_OF,
# cmake/TandemDevice.cmake): a vendor's implementation of a device tandem already models is
# bound against that model, its hints and its map, with no C++ binding.
#
#   tandem_add_device(NAME RTL ... TOP ... BUS ... [CLOCK/RESET/PORT_MAP/...]
#     MODEL_OF <device>                        # a bundled device (or one bound earlier in the project)
#     [MAP <their.rdl>]                        # their own map instead of <device>'s
#     [RESET_OVERRIDES REG.FIELD=<number> ...] # per-field reset values that differ from the map's
#     [MODEL_OPTIONS key=value ...]            # options of <device>'s model
#     [MODEL_CONFIG <file>])                   # the same, one `key = value` a line (# comments):
#                                              # the TOML subset the options need
#
# MODEL and BINDING are generated: the binding is <device>'s (its model, hints and map) under
# NAME, with MAP, RESET_OVERRIDES and the options applied. Options are declared by the reused
# device (MODEL_OPTION_NAMES on its tandem_add_device; its binding then defines
# describe_<device>_with(const ModelOptions&), tandem/reuse.h); an unknown option, a malformed
# override or config line, or an unknown device stops the configure with one line naming the
# argument or file:line. What only the map or the model knows (an unknown register or field, a
# value too wide for its field or option) is refused when the runner loads the binding, with
# one line naming the CMake file and the argument (exit 2).

# MODEL_OPTION_NAMES of a device: recorded on its target and exported with the package, so a
# project reusing it from the installed package checks option names at configure time too.
macro(_tandem_declare_model_options NAME)
  if(D_MODEL_OPTION_NAMES)
    set_target_properties(tandem_device_${NAME} PROPERTIES TANDEM_MODEL_OPTIONS "${D_MODEL_OPTION_NAMES}"
      EXPORT_PROPERTIES TANDEM_MODEL_OPTIONS)
  endif()
endmacro()

# The reused device's target: in tandem's own tree (or bound earlier in the same project)
# tandem_device_<device>, from the installed package tandem::device_<device>.
function(_tandem_reused_target NAME OF OUT)
  if(TARGET tandem_device_${OF})
    set(${OUT} tandem_device_${OF} PARENT_SCOPE)
  elseif(TARGET tandem::device_${OF})
    set(${OUT} tandem::device_${OF} PARENT_SCOPE)
  else()
    get_property(known GLOBAL PROPERTY TANDEM_DEVICES)
    get_property(imported DIRECTORY PROPERTY IMPORTED_TARGETS)
    foreach(t IN LISTS imported)
      if(t MATCHES "^tandem::device_(.+)$")
        list(APPEND known ${CMAKE_MATCH_1})
      endif()
    endforeach()
    string(REPLACE ";" ", " known "${known}")
    message(FATAL_ERROR "tandem_add_device(${NAME}): MODEL_OF ${OF}: no such device (known: ${known})")
  endif()
endfunction()

# `where` strings name the caller's CMake file, relative to the project.
function(_tandem_reuse_where NAME KEYWORD OUT)
  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${CMAKE_CURRENT_LIST_FILE}")
  set(${OUT} "${shown}: tandem_add_device(${NAME}) ${KEYWORD}" PARENT_SCOPE)
endfunction()

# MODEL_CONFIG: `key = value` lines; value a bare word (number, name) or a "quoted string".
function(_tandem_read_model_config NAME FILE OUT)
  get_filename_component(path "${FILE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "tandem_add_device(${NAME}): MODEL_CONFIG ${FILE}: no such file")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${path}")
  if(shown MATCHES "^\\.\\./")
    set(shown "${path}")  # outside the project: the whole path
  endif()
  file(STRINGS "${path}" lines)
  set(options "")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(line MATCHES "^[ \t]*(#.*)?$")
      continue()
    endif()
    if(line MATCHES "^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(\"([^\"\\\\]*)\"|([A-Za-z0-9_.:+-]+))[ \t]*(#.*)?$")
      set(value "${CMAKE_MATCH_3}${CMAKE_MATCH_4}")
      list(APPEND options "${CMAKE_MATCH_1}=${value}=${shown}:${n}")
    else()
      message(FATAL_ERROR "${shown}:${n}: expected `key = value` (a number, a name or a \"quoted string\"), got: ${line}")
    endif()
  endforeach()
  set(${OUT} "${options}" PARENT_SCOPE)
endfunction()

# Called by tandem_add_device with MODEL_OF: checks the arguments, generates the binding and a
# stand-in model source, and sets D_MODEL, D_BINDING, _tandem_reuse_link (the reused device's
# target) and _tandem_reuse_id (what the build id hashes besides files).
macro(_tandem_model_of NAME)
  if(D_MODEL OR D_BINDING)
    message(FATAL_ERROR "tandem_add_device(${NAME}): MODEL_OF ${D_MODEL_OF} replaces MODEL and BINDING (give one or the other)")
  endif()
  _tandem_reused_target(${NAME} ${D_MODEL_OF} _tandem_reuse_link)
  get_target_property(_reuse_known ${_tandem_reuse_link} TANDEM_MODEL_OPTIONS)
  if(NOT _reuse_known)
    set(_reuse_known "")
  endif()
  string(REPLACE ";" ", " _reuse_known_text "${_reuse_known}")
  # Every option as key=value=where.
  set(_reuse_options "")
  _tandem_reuse_where(${NAME} MODEL_OPTIONS _reuse_where)
  foreach(o IN LISTS D_MODEL_OPTIONS)
    if(NOT o MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9_.:+-]+)$")
      message(FATAL_ERROR "${_reuse_where} '${o}': expected key=value (value a number or a name)")
    endif()
    list(APPEND _reuse_options "${o}=${_reuse_where}")
  endforeach()
  if(D_MODEL_CONFIG)
    _tandem_read_model_config(${NAME} "${D_MODEL_CONFIG}" _reuse_from_file)
    list(APPEND _reuse_options ${_reuse_from_file})
  endif()
  set(_reuse_option_init "")
  foreach(o IN LISTS _reuse_options)
    string(REGEX MATCH "^([^=]*)=([^=]*)=(.*)$" _ "${o}")
    set(_key "${CMAKE_MATCH_1}")
    set(_value "${CMAKE_MATCH_2}")
    set(_where "${CMAKE_MATCH_3}")
    if(NOT _key IN_LIST _reuse_known)
      if(_reuse_known)
        set(_why "its options: ${_reuse_known_text}")
      else()
        set(_why "it takes none")
      endif()
      message(FATAL_ERROR "${_where} ${_key}=${_value}: ${D_MODEL_OF}'s model has no option '${_key}' (${_why})")
    endif()
    string(APPEND _reuse_option_init "{\"${_key}\", \"${_value}\", \"${_where}\"}, ")
  endforeach()
  _tandem_reuse_where(${NAME} RESET_OVERRIDES _reuse_where)
  set(_reuse_override_init "")
  foreach(o IN LISTS D_RESET_OVERRIDES)
    if(NOT o MATCHES "^([^\"\\\\= ]+)\\.([A-Za-z_][A-Za-z0-9_]*)=(0[xX][0-9a-fA-F]+|[0-9]+)$")
      message(FATAL_ERROR "${_reuse_where} '${o}': expected REGISTER.FIELD=<number> (decimal or 0x hex)")
    endif()
    string(APPEND _reuse_override_init "{\"${CMAKE_MATCH_1}.${CMAKE_MATCH_2}\", \"${CMAKE_MATCH_3}\", \"${_reuse_where}\"}, ")
  endforeach()

  set(_reuse_dir "${CMAKE_BINARY_DIR}/generated/reuse")
  set(_reuse_decl "DeviceBinding describe_${D_MODEL_OF}();")
  set(_reuse_base "describe_${D_MODEL_OF}()")
  if(_reuse_option_init)
    set(_reuse_decl "DeviceBinding describe_${D_MODEL_OF}_with(const ModelOptions& options);")
    set(_reuse_base "describe_${D_MODEL_OF}_with(ModelOptions({${_reuse_option_init}}))")
  endif()
  set(_reuse_map_include "")
  set(_reuse_map "")
  if(D_MAP)
    set(_reuse_map_name ${D_MAP_NAME})
    if(NOT _reuse_map_name)
      set(_reuse_map_name ${NAME})
    endif()
    set(_reuse_map_include "#include <tandem/map_spec.h>\n#include <tandem/rdl.h>\n#include <tandem_regs/${_reuse_map_name}.hpp>")
    set(_reuse_map "b.regmap = to_register_map(parse_rdl(tandem_regs::${_reuse_map_name}::kRdlText, tandem_regs::${_reuse_map_name}::kRdlFile));")
  endif()
  set(D_BINDING "${_reuse_dir}/${NAME}_binding.cpp")
  file(CONFIGURE OUTPUT "${D_BINDING}" CONTENT "// Generated by tandem_add_device(${NAME} MODEL_OF ${D_MODEL_OF}) (cmake/TandemReuse.cmake):
// ${D_MODEL_OF}'s model and hints over ${NAME}'s RTL (${D_TOP}), with its map and reset values.
#include <tandem/binding.h>
#include <tandem/reuse.h>
${_reuse_map_include}

namespace tandem {

${_reuse_decl}

DeviceBinding describe_${NAME}() {
  DeviceBinding b = ${_reuse_base};
  b.name = \"${NAME}\";
  b.description = \"${D_MODEL_OF}'s model over ${D_TOP} (MODEL_OF ${D_MODEL_OF})\";
  ${_reuse_map}
  apply_reset_overrides(b.regmap, {${_reuse_override_init}});
  return b;
}

}  // namespace tandem
" @ONLY)
  set(D_MODEL "${_reuse_dir}/${NAME}_model.cpp")
  file(CONFIGURE OUTPUT "${D_MODEL}" CONTENT "// Generated: ${NAME}'s model is ${D_MODEL_OF}'s (tandem_add_device MODEL_OF).\n")
  set(_tandem_reuse_id "${D_MODEL_OF};${D_MAP};${D_RESET_OVERRIDES};${_reuse_options}")
endmacro()
