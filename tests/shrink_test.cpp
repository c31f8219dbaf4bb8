// Shrinking: every mutant's divergence comes out as a replay file of at most 10 steps that
// reproduces the same kind at the same register, and runs clean on the correct model.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <unistd.h>

#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/program_run.h>
#include <tandem/replay.h>
#include <tandem/shrink.h>
#include <tandem/stimulus.h>

#include "models/seldev/seldev_model.h"
#include "models/uart16550/uart16550_model.h"
#include "tests/test_support.h"

using namespace tandem;
using M = models::SeldevModel;

namespace {

// A directory of this process under the system's temporary directory, removed afterwards.
struct TempDir {
  explicit TempDir(const std::string& name)
      : path(
            (std::filesystem::temp_directory_path() / ("tandem_shrink_test_" + std::to_string(::getpid()) + "_" + name))
                .string()) {
    std::filesystem::remove_all(path);
    // save_reproducer creates it
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

std::string text_of(const Program& p) {
  std::string out;
  for (const Step& s : p) out += format_step(s) + "\n";
  return out;
}

// seldev traffic from the generator with every access to UNIT_SELECT dropped: on the
// trust_select mutant it cannot diverge, so a bad select appended to it is the only cause.
Program seldev_traffic_without_selects(uint64_t steps) {
  Program out;
  for (const Step& s : generate_program("all", test_catalog().get("seldev"), 5, steps))
    if (!((s.kind == StepKind::write || s.kind == StepKind::read) && (s.addr & ~3ull) == M::UNIT_SELECT))
      out.push_back(s);
  return out;
}

}  // namespace

TEST_CASE("every mutant's divergence from run shrinks to a replay file of at most 10 steps", "[shrink][mutants]") {
  const TempDir tmp("mutants");
  const std::string& dir = tmp.path;
  for (const Mutant& m : all_mutants()) {
    if (m.expected_kind == DivergenceKind::restore) continue;  // restore bugs: restore_attack_test
    SECTION(m.name) {
      const DeviceBinding& mutant = test_catalog().get(m.name);
      const Job job{m.name, "all", 1, 20000};
      const RunRecord run = run_job(mutant, job);
      REQUIRE(run.divergence);
      const Reproducer rep = save_reproducer(mutant, job, *run.divergence, dir);
      CHECK(rep.path == dir + "/" + m.name + "-all-1.replay");
      CHECK(rep.shrink.reproduced);
      CHECK_FALSE(rep.shrink.exhausted);

      const ReplayFile file = load_replay(rep.path);
      INFO(m.name << " shrunk to:\n" << text_of(file.program));
      CHECK(file.device == m.name);
      CHECK(file.program.size() >= 1);
      // Telling a 15-deep FIFO from a 16-deep one takes 17 back-to-back THR writes (the shift
      // register takes one) after 4 setup writes, then a gap until the lost character's frame
      // would start on sout: 22 steps, 1-minimal.
      if (m.name != "uart16550.fifo_depth_15") CHECK(file.program.size() <= 10);

      // 1-minimal: without any one of its steps the divergence is gone (or another one).
      for (size_t i = 0; i < file.program.size(); ++i) {
        Program fewer = file.program;
        fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
        const ProgramRun r = run_program(mutant, fewer);
        INFO("without step " << i);
        const bool same =
            r.divergence && r.divergence->kind == run.divergence->kind && r.divergence->reg == run.divergence->reg;
        CHECK_FALSE(same);
      }

      // The file reproduces the run's divergence: same kind, same register.
      const ProgramRun again = run_program(mutant, file.program);
      REQUIRE(again.divergence);
      CHECK(kind_name(again.divergence->kind) == std::string(kind_name(run.divergence->kind)));
      CHECK(again.divergence->reg == run.divergence->reg);
      CHECK(again.executed == file.program.size());  // the diverging step is the last one
      CHECK(again.expect_mismatches.empty());

      // On the correct model the same steps run clean.
      const ProgramRun correct = run_program(test_catalog().get(m.device), file.program);
      CHECK_FALSE(correct.divergence);
      CHECK(correct.expect_mismatches.empty());
    }
  }
}

TEST_CASE("the trusted-select mutant shrinks to the one write of an out-of-range unit", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev.trust_select");
  const RunRecord run = run_job(b, Job{b.name, "all", 1, 20000});
  REQUIRE(run.divergence);
  const ShrinkResult s = shrink_program(b, generate_program("all", b, 1, run.divergence->step + 1));
  REQUIRE(s.reproduced);
  REQUIRE(s.program.size() == 1);
  CHECK(same_step(s.program[0], Step::write(M::UNIT_SELECT, M::kUnits)));  // 4: the first bad unit
  REQUIRE(s.divergence);
  CHECK(s.divergence->kind == DivergenceKind::write_error);
  CHECK(s.divergence->reg == "UNIT_SELECT");
  CHECK(s.divergence->step == 0);
}

TEST_CASE("a bad select buried after thousands of clean steps shrinks to that one write", "[shrink]") {
  Program p = seldev_traffic_without_selects(5000);
  const size_t bad = p.size();
  p.push_back(Step::write(M::UNIT_SELECT, 0x7d));  // out of range, with bits to clear
  for (int i = 0; i < 100; ++i) p.push_back(Step::read(M::STATUS));
  const DeviceBinding& b = test_catalog().get("seldev.trust_select");
  const ProgramRun full = run_program(b, p);
  REQUIRE(full.divergence);
  REQUIRE(full.divergence->step == bad);

  const ShrinkResult s = shrink_program(b, p);
  CHECK(s.reproduced);
  CHECK(s.original_steps == p.size());
  CHECK_FALSE(s.exhausted);
  CHECK(s.runs < 1000);
  INFO(text_of(s.program));
  REQUIRE(s.program.size() == 1);
  CHECK(same_step(s.program[0], Step::write(M::UNIT_SELECT, 0x4)));
}

TEST_CASE("shrinking the same program twice gives the same program", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev.irq_late");
  const RunRecord run = run_job(b, Job{b.name, "all", 3, 20000});
  REQUIRE(run.divergence);
  const Program p = generate_program("all", b, 3, run.divergence->step + 1);
  const ShrinkResult first = shrink_program(b, p);
  const ShrinkResult second = shrink_program(b, p);
  CHECK(text_of(first.program) == text_of(second.program));
  CHECK(first.runs == second.runs);
  CHECK(first.program.size() <= 10);
}

TEST_CASE("a data divergence's last read carries the RTL's answer as its expected value", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev.wrong_reset");
  const ShrinkResult s = shrink_program(b, {Step::idle(5), Step::write(M::CTRL, 1), Step::read(M::IRQ_ENABLE)});
  REQUIRE(s.program.size() == 1);
  CHECK(s.program[0].kind == StepKind::read);
  CHECK(s.program[0].addr == M::IRQ_ENABLE);
  REQUIRE(s.program[0].expect);
  CHECK(*s.program[0].expect == 0);  // the hardware's reset value
  REQUIRE(s.divergence);
  CHECK(s.divergence->model == 0xf);
}

TEST_CASE("idle gaps shrink to the shortest that still shows the late interrupt", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev.irq_late");
  const Program p = {Step::write(M::IRQ_ENABLE, 0x10f), Step::write(M::CTRL, 1), Step::write(M::U_CMD, 1),
                     Step::idle(300), Step::idle(200)};
  const ShrinkResult s = shrink_program(b, p);
  REQUIRE(s.reproduced);
  INFO(text_of(s.program));
  CHECK(s.program.size() <= 4);
  REQUIRE(s.program.back().kind == StepKind::idle);
  CHECK(s.program.back().data < 300);
  // One cycle less no longer reaches the completion edge.
  if (s.program.back().data > 1) {
    Program shorter = s.program;
    shorter.back().data -= 1;
    CHECK_FALSE(run_program(b, shorter).divergence);
  }
}

TEST_CASE("run_program records the clock edges each executed step took", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const ProgramRun r = run_program(b, {Step::write(M::CTRL, 1), Step::idle(10), Step::read(M::STATUS), Step::idle(1)});
  CHECK_FALSE(r.divergence);
  CHECK(r.step_cycles == std::vector<Cycle>{2, 10, 2, 1});  // an APB access: setup and access edge
}

TEST_CASE("steps that only pass time are replaced by one idle gap", "[shrink]") {
  // Two injected characters overrun the receiver about 220 edges after they were queued; the
  // two LSR reads must come after that. The 150 SCR reads in between only take time: without
  // any one of them the LSR reads come too early, so removing steps alone keeps ~110 of them.
  using U = models::Uart16550Model;
  const DeviceBinding& b = test_catalog().get("uart16550.lsr_not_cleared");
  Program p = {Step::write(U::LCR, 0x80, 1), Step::write(U::RBR_THR, 1, 1),  // divisor 1
               Step::write(U::INJ_DATA, 0, 1), Step::write(U::INJ_DATA, 0, 1)};
  for (int i = 0; i < 150; ++i) p.push_back(Step::read(U::SCR, 1));
  p.push_back(Step::read(U::LSR, 1));
  p.push_back(Step::read(U::LSR, 1));  // OE: cleared by the read before on the RTL, not on the mutant
  const ProgramRun full = run_program(b, p);
  REQUIRE(full.divergence);
  REQUIRE(full.divergence->reg == "LSR");

  const ShrinkResult s = shrink_program(b, p);
  REQUIRE(s.reproduced);
  CHECK_FALSE(s.exhausted);
  CHECK(s.runs < 300);
  INFO(text_of(s.program));
  REQUIRE(s.program.size() == 7);
  for (size_t i = 0; i < 4; ++i) CHECK(same_step(s.program[i], p[i]));
  REQUIRE(s.program[4].kind == StepKind::idle);
  CHECK(same_step(s.program[5], Step::read(U::LSR, 1)));
  CHECK(s.program[6].addr == U::LSR);
  REQUIRE(s.program[6].expect);
  CHECK(*s.program[6].expect == (U::kThre | U::kTemt | U::kDr));  // OE cleared
  REQUIRE(s.divergence);
  CHECK(s.divergence->kind == DivergenceKind::read_data);
  CHECK(s.divergence->reg == "LSR");
  // The gap is the shortest: one edge less and the first LSR read comes before the overrun.
  Program shorter = s.program;
  shorter[4].data -= 1;
  const ProgramRun r = run_program(b, shorter);
  CHECK_FALSE((r.divergence && r.divergence->reg == "LSR"));
}

TEST_CASE("an idle gap that only delays the steps after it folds into the next gap", "[shrink]") {
  // A unit started with a latency of 102 edges (DELAY 100); its DONE interrupt enabled 50
  // edges later, the late completion interrupt 60 edges after that. Without the first gap
  // the run ends before the completion; folded into the second gap it is not needed at all.
  const DeviceBinding& b = test_catalog().get("seldev.irq_late");
  const Program p = {Step::write(M::CTRL, 1), Step::write(M::U_CFG, 100u << 8), Step::write(M::U_CMD, 1),
                     Step::idle(50),          Step::write(M::IRQ_ENABLE, 1),    Step::idle(60)};
  REQUIRE(run_program(b, p).divergence);
  const ShrinkResult s = shrink_program(b, p);
  REQUIRE(s.reproduced);
  CHECK_FALSE(s.exhausted);
  INFO(text_of(s.program));
  // Folded, the interrupt is enabled before the completion, so the latency can drop to the
  // ADD's 2 edges and the configuration write and the gap go.
  REQUIRE(s.program.size() == 3);
  CHECK(same_step(s.program[0], Step::write(M::CTRL, 1)));
  CHECK(same_step(s.program[1], Step::write(M::U_CMD, 1)));
  CHECK(same_step(s.program[2], Step::write(M::IRQ_ENABLE, 1)));
  REQUIRE(s.divergence);
  CHECK(s.divergence->kind == DivergenceKind::irq);
}

TEST_CASE("finds of the ordering and hostile strategies shrink as short as random ones", "[shrink][strategies]") {
  // Before steps could turn into idle gaps these shrank to 61, 60 and 42 steps.
  struct Case {
    const char* mutant;
    const char* strategy;
    size_t at_most;
  };
  for (const Case& c : {Case{"uart16550.lsr_not_cleared", "ordering", 7},
                        Case{"uart16550.iir_priority_swapped", "ordering", 8}, Case{"seldev.irq_late", "hostile", 4}}) {
    SECTION(std::string(c.mutant) + " " + c.strategy) {
      const DeviceBinding& b = test_catalog().get(c.mutant);
      const RunRecord run = run_job(b, Job{b.name, c.strategy, 1, 20000});
      REQUIRE(run.divergence);
      const ShrinkResult s = shrink_program(b, generate_program(c.strategy, b, 1, run.divergence->step + 1));
      REQUIRE(s.reproduced);
      CHECK_FALSE(s.exhausted);
      INFO(text_of(s.program));
      CHECK(s.program.size() <= c.at_most);
      REQUIRE(s.divergence);
      CHECK(s.divergence->kind == run.divergence->kind);
      CHECK(s.divergence->reg == run.divergence->reg);
    }
  }
}

TEST_CASE("a program that does not diverge is reported as not reproduced and returned unchanged", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const Program p = generate_program("all", b, 1, 500);
  const ShrinkResult s = shrink_program(b, p);
  CHECK_FALSE(s.reproduced);
  CHECK_FALSE(s.divergence);
  CHECK(s.runs == 1);
  CHECK(text_of(s.program) == text_of(p));
}

TEST_CASE("the run budget stops shrinking early with a program that still diverges", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev.trust_select");
  Program p = seldev_traffic_without_selects(2000);
  p.push_back(Step::write(M::UNIT_SELECT, 0xff));
  ShrinkOptions options;
  options.max_runs = 5;
  const ShrinkResult s = shrink_program(b, p, options);
  CHECK(s.reproduced);
  CHECK(s.exhausted);
  CHECK(s.runs == 5);
  CHECK(s.program.size() < p.size());
  const ProgramRun again = run_program(b, s.program);
  REQUIRE(again.divergence);
  CHECK(again.divergence->kind == DivergenceKind::write_error);
}

TEST_CASE("save_reproducer creates its directory and names an unusable one", "[shrink]") {
  const DeviceBinding& b = test_catalog().get("seldev.trust_select");
  const Job job{b.name, "all", 1, 20000};
  const RunRecord run = run_job(b, job);
  REQUIRE(run.divergence);
  const TempDir tmp("nested");
  const std::string dir = tmp.path + "/a/b";
  const Reproducer rep = save_reproducer(b, job, *run.divergence, dir);
  CHECK(std::filesystem::exists(rep.path));
  const ReplayFile f = load_replay(rep.path);
  REQUIRE(f.notes.size() >= 3);
  CHECK_THAT(f.notes[0], Catch::StartsWith("reproduces: write_error divergence at register UNIT_SELECT"));
  CHECK_THAT(f.notes[1], Catch::StartsWith("found by: seldev.trust_select strategy all seed 1"));
  CHECK_THAT(f.notes[2], Catch::StartsWith("shrunk: "));
  // A path through a regular file cannot become a directory.
  CHECK_THROWS_WITH(save_reproducer(b, job, *run.divergence, rep.path + "/sub"),
                    Catch::StartsWith(rep.path + "/sub: cannot create the output directory"));
}

namespace {
// A model whose interrupt line is high out of reset, where the RTL's is low.
class IrqAtReset final : public models::SeldevModel {
  uint32_t irq() const override { return 1; }
};
}  // namespace

TEST_CASE("a divergence right out of reset shrinks to a replay file without steps that reproduces it", "[shrink]") {
  DeviceBinding b = test_catalog().get("seldev");
  b.name = "seldev.irq_at_reset";
  b.make_model = [] { return std::make_unique<IrqAtReset>(); };
  const Job job{b.name, "all", 1, 100};
  const RunRecord run = run_job(b, job);
  REQUIRE(run.divergence);
  CHECK(run.divergence->kind == DivergenceKind::irq);
  CHECK(run.divergence->step == 0);
  const TempDir tmp("reset");
  const Reproducer rep = save_reproducer(b, job, *run.divergence, tmp.path);
  CHECK(rep.shrink.reproduced);
  const ReplayFile f = load_replay(rep.path);
  CHECK(f.program.empty());
  const ProgramRun again = run_program(b, f.program);
  REQUIRE(again.divergence);
  CHECK(again.divergence->kind == DivergenceKind::irq);
  CHECK(again.executed == 0);
}
