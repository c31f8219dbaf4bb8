// Attacks on restore: the seeded restore bugs are caught (a crafted state the correct model
// refuses naming the field, the mutant accepts, and the damage that follows), and the correct
// models survive every systematic mutation of their saved state.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <tandem/model_executor.h>
#include <tandem/restore_attack.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

std::string restore_bytes(Device& model, const std::vector<uint8_t>& state) {
  StateReader in(state);
  return model.restore(in);
}

const Mutant& restore_mutant(const std::string& name) {
  static const std::vector<Mutant> mutants = all_mutants();
  for (const Mutant& m : mutants)
    if (m.name == name) return m;
  FAIL("no mutant " << name);
  throw;
}

// Runs `body` in a child process with a wall-clock limit: how an endless loop is shown
// without hanging the suite. Returns the child's exit status, or -SIGNAL when it was killed.
template <class F>
int run_isolated(F body, unsigned seconds) {
  const pid_t pid = fork();
  if (pid == 0) {
    alarm(seconds);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("every restore mutant accepts a saved state its correct model refuses naming the field", "[restore]") {
  unsigned n = 0;
  for (const Mutant& m : all_mutants()) {
    if (m.expected_kind != DivergenceKind::restore) continue;
    ++n;
    SECTION(m.name) {
      const DeviceBinding& mutant = test_catalog().get(m.name);
      const DeviceBinding& base = test_catalog().get(m.device);
      const AttackReport r = attack_restore(mutant, base);
      INFO(m.name << ": " << r.tried << " mutated states offered");
      REQUIRE(r.divergence);
      INFO(r.divergence->detail);
      CHECK(r.divergence->kind == DivergenceKind::restore);
      CHECK(r.divergence->reg == m.expected_register);
      auto correct = base.make_model();
      CHECK_THAT(restore_bytes(*correct, r.state), Catch::StartsWith(m.expected_register + ":"));
      auto buggy = mutant.make_model();
      CHECK(restore_bytes(*buggy, r.state).empty());
    }
  }
  CHECK(n == 3);
}

TEST_CASE("restore attack: the trusted select is an index past the units", "[restore]") {
  const Mutant& m = restore_mutant("seldev.restore_trusts_select");
  const AttackReport r = attack_restore(test_catalog().get(m.name), test_catalog().get(m.device));
  REQUIRE(r.divergence);
  // The mutant takes the state. Its next read of a window register indexes m_words by 4 * UNIT_SELECT (a
  // flat array of the register words), far past it: in a child process the probe dies of it
  // (SIGSEGV, or ASan's report), or, if the bytes there happen to be mapped, its first check
  // (UNIT_SELECT against the selector hint's 4 units) reports the index.
  const std::vector<uint8_t> state = r.state;
  const DeviceBinding* mutant = &test_catalog().get(m.name);
  {
    auto model = mutant->make_model();
    CHECK(restore_bytes(*model, state).empty());
  }
  const int status = run_isolated(
      [&state, mutant] {
        const ProbeResult p = probe_restore(*mutant, state);
        return p.accepted && p.violation.find("UNIT_SELECT reads") != std::string::npos ? 2 : 0;
      },
      20);
  INFO("probe child: " << (status < 0 ? "killed by signal " + std::to_string(-status)
                                      : "exit " + std::to_string(status)));
  CHECK(status != 0);
  const ProbeResult good = probe_restore(test_catalog().get(m.device), r.state);
  CHECK_FALSE(good.accepted);
  CHECK_THAT(good.reason, Catch::StartsWith("unit_select:"));
}

TEST_CASE("restore attack: an unknown DMA phase makes advance spin forever", "[restore]") {
  const Mutant& m = restore_mutant("dma.restore_unknown_phase");
  const AttackReport r = attack_restore(test_catalog().get(m.name), test_catalog().get(m.device));
  REQUIRE(r.divergence);
  const std::vector<uint8_t> state = r.state;
  auto run_on = [&state](const DeviceBinding& b) {
    return [&state, binding = &b] {
      ModelExecutor exec(*binding);
      if (!exec.restore_model(state, Cycle(1) << 40).empty()) return 3;  // refused
      exec.execute(Step::idle(1000));
      (void)exec.irq();  // brings the model up to now
      return 0;
    };
  };
  // The correct model refuses the state; the mutant takes it and never returns from advance().
  CHECK(run_isolated(run_on(test_catalog().get(m.device)), 20) == 3);
  CHECK(run_isolated(run_on(test_catalog().get(m.name)), 2) == -SIGALRM);
}

TEST_CASE("restore attack: a FIFO count beyond the depth diverges in lockstep", "[restore]") {
  const Mutant& m = restore_mutant("uart16550.restore_trusts_fifo_count");
  const DeviceBinding& mutant = test_catalog().get(m.name);
  const DeviceBinding& base = test_catalog().get(m.device);
  const AttackOptions options;
  const AttackReport r = attack_restore(mutant, base, options);
  REQUIRE(r.divergence);
  // Replay the attacked run up to the saved step, migrate the model into the crafted state
  // and carry on: the mutant diverges from the RTL, the correct model refuses and stays clean.
  for (const DeviceBinding* b : {&mutant, &base}) {
    std::unique_ptr<Stimulus> stimulus = make_stimulus(options.strategy, *b, options.seed);
    Lockstep engine(*b);
    for (uint64_t i = 0; i < r.divergence->step; ++i) engine.execute(stimulus->next());
    REQUIRE_FALSE(engine.diverged());
    const std::string why = engine.load_model_state(r.state);
    for (uint64_t i = 0; i < 10000 && !engine.diverged(); ++i) engine.execute(stimulus->next());
    engine.finish();
    if (b == &mutant) {
      CHECK(why.empty());
      CHECK(engine.diverged());
    } else {
      CHECK_THAT(why, Catch::StartsWith("rx fifo:") || Catch::StartsWith("tx fifo:"));
      CHECK_FALSE(engine.diverged());
    }
  }
}

TEST_CASE("the correct models pass the invariants on every systematic mutation they accept", "[restore]") {
  for (const DeviceBinding& d : test_catalog().devices()) {
    if (d.name.find('.') != std::string::npos) continue;
    SECTION(d.name) {
      std::unique_ptr<Stimulus> stimulus = make_stimulus("all", d, 3);
      Lockstep engine(d);
      uint64_t tried = 0, accepted = 0, probed = 0;
      for (uint64_t step = 1; step <= 2000 && !engine.diverged(); ++step) {
        engine.execute(stimulus->next());
        if (step % 500 != 0) continue;
        StateWriter w;
        engine.model().save(w);
        for (const StateMutation& mut : state_mutations(w.bytes)) {
          const std::vector<uint8_t> state = mut.apply(w.bytes);
          ++tried;
          auto model = d.make_model();
          if (!restore_bytes(*model, state).empty()) continue;
          ++accepted;
          INFO(d.name << " step " << step << ": " << mut.describe());
          CHECK(check_restored_model(d, *model, state).empty());
          if (accepted % 97 == 1 && probed < 8) {  // a sample runs on: 1,000 steps each
            ++probed;
            ProbeOptions po;
            po.steps = 1000;
            po.seed = accepted;
            const ProbeResult pr = probe_restore(d, state, po);
            CHECK(pr.accepted);
            CHECK(pr.violation.empty());
          }
        }
      }
      INFO(d.name << ": " << accepted << " of " << tried << " mutated states accepted");
      CHECK(tried > 1000);
      CHECK(accepted < tried);
    }
  }
}

// The figures the README quotes: `tandem_tests "[.restore-figures]"` (hidden: prints only).
TEST_CASE("restore attack figures", "[.restore-figures]") {
  for (const Mutant& m : all_mutants()) {
    if (m.expected_kind != DivergenceKind::restore) continue;
    const AttackReport r = attack_restore(test_catalog().get(m.name), test_catalog().get(m.device));
    WARN(m.name << ": " << r.states << " saved states, " << r.tried << " mutated states offered, "
                << (r.divergence ? r.divergence->reg + " | " + r.divergence->detail : std::string("not caught")));
  }
  for (const DeviceBinding& d : test_catalog().devices()) {
    if (d.name.find('.') != std::string::npos) continue;
    const AttackReport r = attack_restore(d, d);
    WARN(d.name << ": " << r.states << " saved states, " << r.tried << " mutated states, " << r.refused << " refused, "
                << (r.tried - r.refused) << " accepted");
  }
}

TEST_CASE("the restore reference of a seeded bug is its correct device, of a device itself", "[restore]") {
  const Catalog& catalog = test_catalog();
  CHECK(restore_reference(catalog, "seldev.restore_trusts_select").name == "seldev");
  CHECK(restore_reference(catalog, "seldev_axi4lite.restore_trusts_select").name == "seldev_axi4lite");
  CHECK(restore_reference(catalog, "uart16550").name == "uart16550");
  CHECK_THROWS_AS(restore_reference(catalog, "nosuch"), Error);
}

TEST_CASE("the campaign's short attack catches every restore mutant on every bus, naming its field", "[restore]") {
  unsigned caught = 0;
  for (const DeviceBinding& d : test_catalog().devices()) {
    const size_t dot = d.name.find('.');
    if (dot == std::string::npos) continue;
    for (const Mutant& m : all_mutants()) {
      if (m.expected_kind != DivergenceKind::restore || d.name.substr(dot) != m.name.substr(m.device.size())) continue;
      const DeviceAttack a = attack_device(test_catalog(), d.name, campaign_attack_options());
      INFO(d.name);
      REQUIRE(a.report.divergence);
      CHECK(a.report.divergence->kind == DivergenceKind::restore);
      CHECK(a.report.divergence->reg == m.expected_register);
      CHECK(a.report.divergence->model);  // the mutant accepts...
      CHECK(!a.report.divergence->rtl);   // ...what the reference refuses
      ++caught;
    }
  }
  CHECK(caught == 8);  // seldev on four buses, uart16550 on three, dma
}

TEST_CASE("the campaign's short attack leaves every correct device clean", "[restore]") {
  for (const DeviceBinding& d : test_catalog().devices()) {
    if (d.name.find('.') != std::string::npos) continue;
    const DeviceAttack a = attack_device(test_catalog(), d.name, campaign_attack_options());
    INFO(d.name);
    CHECK(a.reference == d.name);
    CHECK(a.report.states == 4);
    CHECK(a.report.tried > 1000);
    CHECK(!a.report.divergence);
  }
}

TEST_CASE("the campaign's short attack is deterministic for a seed", "[restore]") {
  const DeviceAttack a = attack_device(test_catalog(), "uart16550", campaign_attack_options(7));
  const DeviceAttack b = attack_device(test_catalog(), "uart16550", campaign_attack_options(7));
  CHECK(a.report.tried == b.report.tried);
  CHECK(a.report.refused == b.report.refused);
  const DeviceAttack m = attack_device(test_catalog(), "dma.restore_unknown_phase", campaign_attack_options(7));
  const DeviceAttack n = attack_device(test_catalog(), "dma.restore_unknown_phase", campaign_attack_options(7));
  REQUIRE(m.report.divergence);
  REQUIRE(n.report.divergence);
  CHECK(m.report.state == n.report.state);
  CHECK(m.report.mutation == n.report.mutation);
}
