# Build step (cmake -P): find the divergence of seldev.trust_select with tandem-mutants run,
# which writes its shrunk replay file, then turn that file into a Catch2 regression test.
#   -DMUTANTS=path/to/tandem-mutants -DOUT=path/to/test.cpp
get_filename_component(dir "${OUT}" DIRECTORY)
execute_process(COMMAND "${MUTANTS}" run --device seldev.trust_select --out "${dir}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "tandem-mutants run --device seldev.trust_select: exit ${rc}, expected 1\n${out}${err}")
endif()
execute_process(COMMAND "${MUTANTS}" replay "${dir}/seldev.trust_select-all-1.replay" --emit-test "${OUT}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT EXISTS "${OUT}")
  message(FATAL_ERROR "tandem-mutants replay --emit-test: exit ${rc}, expected 1 and ${OUT}\n${out}${err}")
endif()
