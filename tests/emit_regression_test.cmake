# Build step (cmake -P): run every mutant with `tandem-mutants run`, which writes the shrunk
# replay file of each divergence, then turn each file into a Catch2 regression test twice:
# as emitted (it names the mutant) and wrapped to run on the correct device it mutates.
#   -DMUTANTS=path/to/tandem-mutants -DDIR=output/dir -DLIST=dev.mutant,... [-DSTAMP=file]
# A test source whose text would not change is left alone (file time included): relinking
# tandem-mutants after an edit elsewhere recompiles none of them.
string(REPLACE "," ";" LIST "${LIST}")
file(REMOVE_RECURSE "${DIR}/replays" "${DIR}/fresh")
file(MAKE_DIRECTORY "${DIR}/fresh")
execute_process(COMMAND "${MUTANTS}" run --out "${DIR}/replays"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "tandem-mutants run: exit ${rc}, expected 1\n${out}${err}")
endif()
# Every mutant the campaign caught must be in LIST, and every one in LIST caught: a new
# mutant gets its regression test, a lost one fails the build here.
file(GLOB found RELATIVE "${DIR}/replays" "${DIR}/replays/*.replay")
foreach(f ${found})
  string(REGEX REPLACE "-[a-z]+-[0-9]+\\.replay$" "" m "${f}")
  list(FIND LIST "${m}" i)
  if(i EQUAL -1)
    message(FATAL_ERROR "mutant ${m} diverged but is not in TANDEM_LOCKSTEP_MUTANTS (tests/CMakeLists.txt)")
  endif()
endforeach()
foreach(m ${LIST})
  file(GLOB replay "${DIR}/replays/${m}-*.replay")
  list(LENGTH replay n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "mutant ${m}: expected one replay file from tandem-mutants run, found ${n}\n${out}")
  endif()
  execute_process(COMMAND "${MUTANTS}" replay "${replay}" --emit-test "${DIR}/fresh/${m}_test.cpp"
    RESULT_VARIABLE rc OUTPUT_VARIABLE rout ERROR_VARIABLE rerr)
  if(NOT rc EQUAL 1 OR NOT EXISTS "${DIR}/fresh/${m}_test.cpp")
    message(FATAL_ERROR "tandem-mutants replay ${replay} --emit-test: exit ${rc}, expected 1\n${rout}${rerr}")
  endif()
  file(COPY_FILE "${DIR}/fresh/${m}_test.cpp" "${DIR}/${m}_test.cpp" ONLY_IF_DIFFERENT)
  string(REGEX REPLACE "\\..*$" "" base "${m}")
  file(CONFIGURE OUTPUT "${DIR}/${m}_fixed_test.cpp" CONTENT
    "// The emitted regression test of ${m}, run on the correct device ${base}.\n#define TANDEM_REGRESSION_DEVICE \"${base}\"\n#include \"${m}_test.cpp\"\n")
endforeach()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
