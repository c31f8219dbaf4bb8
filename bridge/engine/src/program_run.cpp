// Running a whole program in lockstep.
#include "tandem/program_run.h"

namespace tandem {

ProgramRun run_program(const DeviceBinding& binding, const Program& program, const LockstepOptions& options) {
  ProgramRun run;
  Lockstep engine(binding, options);
  for (size_t i = 0; i < program.size() && !engine.diverged(); ++i) {
    const Step& s = program[i];
    const Cycle before = engine.now();
    run.last = engine.execute(s);
    ++run.executed;
    run.step_cycles.push_back(engine.now() - before);
    if (s.kind == StepKind::read && s.expect && run.last.data != *s.expect)
      run.expect_mismatches.push_back({i, *s.expect, run.last.data});
  }
  engine.finish();  // as run_job does: DMA accesses still owed, final guest memories
  run.stats = engine.stats();
  run.divergence = engine.divergence();
  run.waived = engine.waived();
  return run;
}

}  // namespace tandem
