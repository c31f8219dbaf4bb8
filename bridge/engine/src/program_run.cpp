// Running a whole program in lockstep, on a fresh engine or on one put back to its start.
#include "tandem/program_run.h"

#include "tandem/error.h"

namespace tandem {

namespace {
ProgramRun run_on(Lockstep& engine, const Program& program) {
  ProgramRun run;
  run.step_cycles.reserve(program.size());
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
}  // namespace

ProgramRun run_program(const DeviceBinding& binding, const Program& program, const LockstepOptions& options) {
  Lockstep engine(binding, options);
  return run_on(engine, program);
}

ProgramRunner::ProgramRunner(const DeviceBinding& binding) : m_binding(binding) {
  if (!binding.make_savable_rtl) return;
  LockstepOptions options;
  options.savable_rtl = true;
  m_engine = std::make_unique<Lockstep>(binding, options);
  StateWriter start;
  m_engine->save_checkpoint(start);
  m_start = std::move(start.bytes);
}

ProgramRun ProgramRunner::run(const Program& program) {
  if (!m_engine) return run_program(m_binding, program);
  StateReader in(m_start);
  if (const std::string why = m_engine->restore_checkpoint(in); !why.empty())
    throw Error("device '" + m_binding.name + "': the engine refused its own start checkpoint: " + why);
  return run_on(*m_engine, program);
}

}  // namespace tandem
