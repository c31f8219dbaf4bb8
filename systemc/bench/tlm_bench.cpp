// tandem-tlm-bench: TLM transactions per second through a TlmTarget, model alone and lockstep,
// on the program `tandem bench` runs (the `registers` program: the random strategy's register
// traffic for the device), next to the command line's own lockstep engine on the same program
// in the same process. --write-program saves the program for tandem-sc-pin-bench.
//   tandem-tlm-bench [--device seldev] [--program registers|idle] [--steps N] [--seed S] [--modes
//   model,lockstep,engine]
//                    [--quantum-ns Q] [--min-seconds T] [--json] [--write-program FILE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "systemc/tests/sc_check.h"
#include "tandem/error.h"
#include "tandem/lockstep.h"
#include "tandem/model_executor.h"
#include "tandem/replay.h"
#include "tandem/stimulus.h"
#include "tandem/tlm_target.h"
#include "tests/mutants/mutants.h"

namespace {
using Clock = std::chrono::steady_clock;
const sc_core::sc_time kPeriod(10, sc_core::SC_NS);

struct Row {
  std::string mode;
  uint64_t steps = 0;
  double seconds = 0;
  double steps_per_s() const { return seconds > 0 ? steps / seconds : 0; }
};

struct Args {
  std::string device = "seldev", modes = "model,lockstep,engine", write_program, program = "registers";
  uint64_t steps = 200000, seed = 1, quantum_ns = 1000;
  double min_seconds = 0.3;
  bool json = false;
};

void drive(sctest::Initiator& cpu, const tandem::Program& program) {
  for (const tandem::Step& s : program) {
    uint64_t v = s.data;
    switch (s.kind) {
      case tandem::StepKind::read:
        cpu.transfer(tlm::TLM_READ_COMMAND, s.addr, reinterpret_cast<uint8_t*>(&v), s.size);
        break;
      case tandem::StepKind::write:
        cpu.transfer(tlm::TLM_WRITE_COMMAND, s.addr, reinterpret_cast<uint8_t*>(&v), s.size);
        break;
      case tandem::StepKind::idle: cpu.idle(static_cast<unsigned>(s.data), kPeriod); break;
      default: break;  // reset and guest-memory steps have no transaction
    }
  }
}

// The command line's path (tandem bench): an executor's execute() per step, no SystemC; the
// lockstep engine ("engine"), or the model alone ("engine-model").
Row engine_row(const tandem::DeviceBinding& b, const tandem::Program& program, double min_seconds, bool model) {
  Row row{model ? "engine-model" : "engine"};
  const auto t0 = Clock::now();
  do {
    std::unique_ptr<tandem::Executor> engine;
    if (model)
      engine = std::make_unique<tandem::ModelExecutor>(b);
    else
      engine = std::make_unique<tandem::Lockstep>(b);
    for (const tandem::Step& s : program) engine->execute(s);
    row.steps += program.size();
    row.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (row.seconds < min_seconds);
  return row;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= list.size()) {
    const size_t comma = std::min(list.find(',', at), list.size());
    if (comma > at) out.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

// A TLM mode in a process of its own: SystemC time only grows, and a device behind a socket
// follows it, so a mode measured after another would first have to catch up with its time.
Row child_row(const Args& a, const std::string& mode) {
  const std::string cmd = fmt::format(
      "'{}' --device {} --program {} --steps {} --seed {} --quantum-ns {} --min-seconds {} --modes {} --json",
      std::filesystem::read_symlink("/proc/self/exe").string(), a.device, a.program, a.steps, a.seed, a.quantum_ns,
      a.min_seconds, mode);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw tandem::Error("cannot run " + cmd);
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  if (pclose(p) != 0) throw tandem::Error(fmt::format("the {} measurement failed: {}", mode, cmd));
  const nlohmann::json j = nlohmann::json::parse(text.substr(text.find('{')));
  const nlohmann::json& r = j.at("tlm_bench").at(0);
  return Row{mode, r.at("steps").get<uint64_t>(), r.at("seconds").get<double>()};
}

int run(const Args& a) {
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  const tandem::DeviceBinding& b = catalog.get(a.device);
  if (a.program != "registers" && a.program != "idle")
    throw tandem::Error(fmt::format("--program: '{}' is not registers or idle", a.program));
  // As tandem bench makes them: `idle` is the same traffic with gaps of up to 10^5 cycles,
  // a hundredth as many steps.
  tandem::DeviceBinding idle_binding = b;
  idle_binding.hints.max_idle = std::max<uint64_t>(b.hints.max_idle, 100000);
  const bool idle = a.program == "idle";
  const tandem::Program program = tandem::generate_program("random", idle ? idle_binding : b, a.seed,
                                                           idle ? std::max<uint64_t>(1, a.steps / 100) : a.steps);
  if (!a.write_program.empty()) tandem::write_replay(a.write_program, b.name, program, {"tandem-tlm-bench program"});
  std::vector<Row> rows;
  std::vector<std::unique_ptr<tandem::TlmTarget>> targets;
  std::vector<std::unique_ptr<sctest::Initiator>> cpus;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> lines;
  std::vector<size_t> row_of;  // the row of each initiator
  tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(double(a.quantum_ns), sc_core::SC_NS));
  const std::vector<std::string> modes = split(a.modes);
  for (const std::string& m : modes) {
    if (m == "engine" || m == "engine-model") {
      rows.push_back(engine_row(b, program, a.min_seconds, m == "engine-model"));
      continue;
    }
    if (modes.size() > 1) {
      rows.push_back(child_row(a, m));
      continue;
    }
    const auto mode = tandem::parse_tlm_mode(m);
    if (!mode) throw tandem::Error(fmt::format("--modes: '{}' is not model, rtl, lockstep, engine or engine-model", m));
    tandem::TlmTargetOptions o;
    o.mode = *mode;
    o.clock_period = kPeriod;
    targets.push_back(std::make_unique<tandem::TlmTarget>(fmt::format("{}_target", m).c_str(), b, o));
    for (auto& port : targets.back()->irq) {
      lines.push_back(std::make_unique<sc_core::sc_signal<bool>>());
      port(*lines.back());
    }
    cpus.push_back(std::make_unique<sctest::Initiator>(fmt::format("{}_cpu", m).c_str()));
    cpus.back()->socket.bind(targets.back()->socket);
    cpus.back()->stop_at_end = false;
    row_of.push_back(rows.size());
    rows.push_back(Row{m});
  }
  // The initiators take turns (each waits for the one before): one is measured at a time.
  std::vector<std::unique_ptr<sc_core::sc_event>> done;
  for (size_t i = 0; i < cpus.size(); ++i) {
    done.push_back(std::make_unique<sc_core::sc_event>());
    Row* row = &rows[row_of[i]];
    sc_core::sc_event* before = i ? done[i - 1].get() : nullptr;
    sc_core::sc_event* mine = done[i].get();
    const bool last = i + 1 == cpus.size();
    cpus[i]->body = [=, &program](sctest::Initiator& cpu) {
      if (before) sc_core::wait(*before);
      const auto t0 = Clock::now();
      do {
        drive(cpu, program);
        row->steps += program.size();
        row->seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      } while (row->seconds < a.min_seconds);
      cpu.keeper.sync();
      mine->notify(sc_core::SC_ZERO_TIME);
      if (last) sc_core::sc_stop();
    };
  }
  if (!cpus.empty()) sc_core::sc_start();
  for (const auto& t : targets)
    if (t->divergences())
      throw tandem::Error(fmt::format("{}: diverged: the bench measures correct devices", t->name()));

  double engine = 0;
  for (const Row& r : rows)
    if (r.mode == "engine") engine = r.steps_per_s();
  if (a.json) {
    nlohmann::json j = {{"device", b.name}, {"program", a.program}, {"quantum_ns", a.quantum_ns}};
    for (const Row& r : rows)
      j["tlm_bench"].push_back(
          {{"mode", r.mode}, {"steps", r.steps}, {"seconds", r.seconds}, {"steps_per_s", r.steps_per_s()}});
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%-10s %-10s %-10s %12s %9s %14s %12s\n", "device", "program", "mode", "steps", "seconds", "steps/s",
              "of engine");
  for (const Row& r : rows)
    std::printf("%-10s %-10s %-10s %12llu %9.3f %14.0f %11.1f%%\n", b.name.c_str(), a.program.c_str(), r.mode.c_str(),
                (unsigned long long)r.steps, r.seconds, r.steps_per_s(),
                engine > 0 ? 100.0 * r.steps_per_s() / engine : 0.0);
  return 0;
}
}  // namespace

int sc_main(int argc, char** argv) {
  Args a;
  CLI::App app{"tandem-tlm-bench: TLM transactions/s through a TlmTarget next to the lockstep engine"};
  app.add_option("--device", a.device);
  app.add_option("--program", a.program, "registers (default) or idle, as tandem bench");
  app.add_option("--steps", a.steps);
  app.add_option("--seed", a.seed);
  app.add_option("--modes", a.modes, "comma-separated: model, rtl, lockstep, engine, engine-model");
  app.add_option("--quantum-ns", a.quantum_ns);
  app.add_option("--min-seconds", a.min_seconds, "each mode repeats the program until it ran this long");
  app.add_option("--write-program", a.write_program, "save the program as a replay file");
  app.add_flag("--json", a.json);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "tandem-tlm-bench: %s\n", e.what());
    return 2;
  }
  try {
    return run(a);
  } catch (const tandem::Error& e) {
    std::fprintf(stderr, "tandem-tlm-bench: %s\n", e.what());
    return 2;
  }
}
