// `tandem-mutants table [--steps N] [--seed S] [--fuzz-seconds S] [--fuzz-dir DIR] [--no-fuzz]
//                       [--mutant M]... [--out DIR] [--json]`
#include "mutant_table.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/shrink.h>
#include <tandem/stimulus.h>

#include "fuzz_cmd.h"
#include "tests/mutants/mutants.h"

namespace tandem {

namespace {

struct Cell {
  std::string mutant, strategy;
  bool found = false;
  std::string kind, reg;
  uint64_t steps = 0;  // steps to the first divergence (fuzz: inputs the fuzzer ran)
  double seconds = 0;  // to the first divergence
  size_t shrunk = 0;   // steps of the shrunk reproducer
  std::string note;
};

Cell measure_strategy(const DeviceBinding& b, const std::string& strategy, uint64_t seed, uint64_t steps) {
  Cell c;
  c.mutant = b.name;
  c.strategy = strategy;
  const RunRecord r = run_job(b, Job{b.name, strategy, seed, steps});
  c.seconds = r.seconds;
  if (!r.divergence) {
    c.steps = r.stats.steps;
    return c;
  }
  c.found = true;
  c.kind = kind_name(r.divergence->kind);
  c.reg = r.divergence->reg;
  c.steps = r.divergence->step + 1;
  ShrinkOptions o;
  o.max_seconds = 30;
  const ShrinkResult s = shrink_program(b, generate_program(strategy, b, seed, r.divergence->step + 1), o);
  c.shrunk = s.program.size();
  if (s.exhausted) c.note = "shrink budget reached";
  return c;
}

std::string cell_text(const Cell& c) {
  if (!c.note.empty() && !c.found) return c.note;
  if (!c.found) return fmt::format("none in {}", c.steps);
  return fmt::format("{} / {:.3f}s / {}", c.steps, c.seconds, c.shrunk);
}

}  // namespace

void MutantTableCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("table", "steps and seconds to the first divergence, per mutant and strategy");
  m_cmd->add_option("--steps,-n", m_steps, "step budget per run (default: 100000)");
  m_cmd->add_option("--seed,-s", m_seed, "seed (default: 1)");
  m_cmd->add_option("--fuzz-seconds", m_fuzz_seconds, "budget of each fuzz run (default: 60)");
  m_cmd->add_option("--fuzz-dir", m_fuzz_dir, "where the fuzz_<device> binaries are (default: next to this program)");
  m_cmd->add_flag("--no-fuzz", m_no_fuzz, "skip the fuzz column");
  m_cmd->add_option("--mutant,-m", m_only, "only this mutant (repeatable)");
  m_cmd->add_option("--out", m_out, "directory for the fuzzers' corpora, logs and replay files");
  m_cmd->add_flag("--json", m_json, "print JSON");
}

std::optional<int> MutantTableCommand::run(const CliContext& context) {
  if (!*m_cmd) return std::nullopt;
  const uint64_t steps = m_steps, seed = m_seed;
  const double fuzz_seconds = m_fuzz_seconds;
  const std::string& fuzz_dir = m_fuzz_dir;
  const std::string& out = m_out;
  const bool no_fuzz = m_no_fuzz, json = m_json;
  const std::vector<std::string>& only = m_only;
  {
    const Catalog& catalog = context.catalog;
    std::vector<Cell> cells;
    std::vector<std::string> columns = {"random", "hostile", "ordering", "race", "all", "fuzz"};
    for (const Mutant& m : all_mutants()) {
      if (!only.empty() && std::find(only.begin(), only.end(), m.name) == only.end()) continue;
      const DeviceBinding& b = catalog.get(m.name);
      for (const std::string& s : columns) {
        if (s == "race" && !b.hints.has_dma()) continue;
        if (s == "ordering" && b.hints.sequences.empty() && !b.hints.has_dma()) continue;
        if (s == "fuzz") {
          if (no_fuzz) continue;
          std::string fuzzer;
          try {
            fuzzer = find_fuzzer(m.name, "", fuzz_dir);
          } catch (const Error&) {
            continue;  // no fuzz binary for this mutant
          }
          FuzzRun run;
          run.fuzzer = fuzzer;
          run.seconds = fuzz_seconds;
          run.seed = seed;
          run.out_dir = out;
          const FuzzOutcome o = fuzz_device(b, run);
          Cell c;
          c.mutant = m.name;
          c.strategy = "fuzz";
          c.seconds = o.record.seconds;
          c.steps = o.record.job.steps;
          if (o.record.divergence) {
            c.found = true;
            c.kind = kind_name(o.record.divergence->kind);
            c.reg = o.record.divergence->reg;
            c.shrunk = o.shrunk_steps;
            c.note = fmt::format("crash input: {} steps", o.finding_steps);
          } else if (!o.record.failure.empty()) {
            c.note = "finding did not reproduce";
          }
          cells.push_back(c);
          std::cerr << fmt::format("{} fuzz: {}\n", m.name, cell_text(cells.back()));
          continue;
        }
        cells.push_back(measure_strategy(b, s, seed, steps));
        std::cerr << fmt::format("{} {}: {}\n", m.name, s, cell_text(cells.back()));
      }
    }

    if (json) {
      nlohmann::json rows = nlohmann::json::array();
      for (const Cell& c : cells)
        rows.push_back({{"mutant", c.mutant},
                        {"strategy", c.strategy},
                        {"found", c.found},
                        {"kind", c.found ? nlohmann::json(c.kind) : nlohmann::json(nullptr)},
                        {"register", c.found ? nlohmann::json(c.reg) : nlohmann::json(nullptr)},
                        {c.strategy == "fuzz" ? "inputs" : "steps", c.steps},
                        {"seconds", c.seconds},
                        {"shrunk_steps", c.found ? nlohmann::json(c.shrunk) : nlohmann::json(nullptr)}});
      std::cout << nlohmann::json{{"table", rows}, {"seed", seed}, {"step_budget", steps}}.dump(2) << "\n";
      return 0;
    }
    // Markdown: a row per mutant, a column per strategy; each cell "steps / seconds / shrunk"
    // (fuzz: inputs the fuzzer ran / seconds / shrunk), "–" where the strategy does not apply.
    std::string header = "| mutant |", rule = "|---|";
    for (const std::string& s : columns) {
      header += " " + s + " |";
      rule += "---|";
    }
    std::cout << header << "\n" << rule << "\n";
    std::string current;
    std::vector<std::string> row;
    auto flush = [&] {
      if (current.empty()) return;
      std::string line = "| `" + current + "` |";
      for (const std::string& c : row) line += " " + c + " |";
      std::cout << line << "\n";
    };
    for (const Cell& c : cells) {
      if (c.mutant != current) {
        flush();
        current = c.mutant;
        row.assign(columns.size(), "–");
      }
      const size_t col = static_cast<size_t>(std::find(columns.begin(), columns.end(), c.strategy) - columns.begin());
      row[col] = cell_text(c);
    }
    flush();
  }
  return 0;
}

}  // namespace tandem
