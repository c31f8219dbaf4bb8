// `tandem fuzz --device D --seconds S [--shard K/N] [--seed S] [--out DIR] [--fuzzer PATH] [--json]`
//
// Runs the device's libFuzzer binary as a subprocess for S seconds (-max_total_time), with its
// corpus, artifacts and log under DIR and a libFuzzer seed derived from --seed and the shard,
// so N shards run side by side on one corpus layout without sharing a file. libFuzzer stops at
// its first finding (a lockstep divergence or a sanitizer report); the crash file is decoded
// with the same decoder the fuzz target uses (tandem/fuzz_decode.h), run in this process,
// shrunk, and written as DIR/<device>-fuzz-<K>.replay. Exit status as for `run`: 0 nothing
// found, 1 a finding, 2 bad usage or a fuzzer that is missing or failed to run.
//
// Unless told otherwise it also hands the fuzzer what the binding knows: DIR/seeds-<device>/,
// one input per driver-manual sequence (tandem::fuzz_seeds, read as a second corpus directory),
// and DIR/<device>.dict, a dictionary of encoded register reads and field writes
// (tandem::fuzz_dictionary, -dict=). Both are regenerated on every run.
#include "fuzz_cmd.h"

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <tandem/campaign.h>
#include <tandem/coverage_report.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/fuzz_decode.h>
#include <tandem/program_run.h>
#include <tandem/replay.h>
#include <tandem/report.h>
#include <tandem/shrink.h>
#include <tandem/waiver_file.h>

#include "coverage_cmd.h"
#include "options.h"
#include "progress.h"
#include "shard.h"

namespace tandem {

namespace fs = std::filesystem;

// fuzz_<device> next to this program (where a -DTANDEM_FUZZ=ON build puts both), in `dir`, or --fuzzer.
std::string find_fuzzer(const std::string& device, const std::string& given, const std::string& dir) {
  if (!given.empty()) {
    if (::access(given.c_str(), X_OK) != 0) throw Error(fmt::format("--fuzzer '{}': not an executable file", given));
    return given;
  }
  std::error_code ec;
  const std::string name = "fuzz_" + device;
  if (!dir.empty()) {
    const fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path candidate = self.parent_path() / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw Error(
      fmt::format("no fuzz binary '{}' next to {} (build it with clang: CC=clang CXX=clang++ cmake -S . -B build-fuzz "
                  "-DTANDEM_FUZZ=ON && cmake --build build-fuzz --target {}; or pass --fuzzer PATH)",
                  name, ec ? std::string("this program") : self.parent_path().string(), name));
}

namespace {

// Run `argv` with stdout and stderr into `log` and TANDEM_MAX_CYCLES set; its exit status
// (128 + signal when killed).
int run_process(const std::vector<std::string>& argv, const std::string& log, uint64_t max_cycles) {
  const std::string budget = std::to_string(max_cycles);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw Error("cannot start the fuzzer: fork failed");
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::setenv("TANDEM_MAX_CYCLES", budget.c_str(), 1);
    ::execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// The fuzzer's log: empty when the process never got to write one.
std::string read_log(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec) ? read_text_file(p.string()) : std::string();
}

// Inputs the fuzzer ran: its final statistics line "stat::number_of_executed_units: N", else
// the last progress line "#N ..." it printed.
uint64_t executed_units(const std::string& log_text) {
  const std::string key = "stat::number_of_executed_units:";
  const size_t at = log_text.rfind(key);
  if (at != std::string::npos) return std::strtoull(log_text.c_str() + at + key.size(), nullptr, 10);
  uint64_t last = 0;
  size_t pos = 0;
  while ((pos = log_text.find("\n#", pos)) != std::string::npos) {
    ++pos;
    if (pos + 1 < log_text.size() && std::isdigit(static_cast<unsigned char>(log_text[pos + 1])))
      last = std::strtoull(log_text.c_str() + pos + 1, nullptr, 10);
  }
  return last;
}

}  // namespace

void FuzzCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("fuzz", "coverage-guided fuzzing of one device with its libFuzzer binary (fuzz_<device>)");
  m_cmd->add_option("--device,-d", m_device, "device to fuzz")->required();
  m_cmd->add_option("--seconds", m_seconds, "how long the fuzzer runs (default: 60)")->check(CLI::PositiveNumber);
  m_cmd->add_option("--shard", m_shard,
                    "this is fuzzer K of N (own seed, corpus and artifacts): K/N (default: from the environment, as "
                    "for run; see docs/scale-out.md)");
  m_cmd->add_option("--seed,-s", m_seed, "base seed (default: 1)");
  m_cmd->add_option("--out", m_out, "directory for corpus, artifacts, log and replay files (default: tandem-out)");
  m_cmd->add_option("--fuzzer", m_fuzzer, "the libFuzzer binary (default: fuzz_<device> next to this program)");
  m_cmd->add_flag("--no-seeds", m_no_seeds, "do not seed the corpus with the binding's driver-manual sequences");
  m_cmd->add_flag("--no-dict", m_no_dict, "do not pass the register-map dictionary (-dict=)");
  m_cmd->add_option("--waivers", m_waivers,
                    "TOML file of known differences the fuzzer counts and goes on past (docs/waivers.md)");
  m_cmd->add_flag("--json", m_json, "print the JSON report");
  add_coverage_option(*m_cmd, m_coverage);
  m_cmd->add_flag("--quiet,-q", m_quiet, "no progress line on a terminal");
  add_max_cycles_option(*m_cmd, m_max_cycles);
  m_cmd->add_flag("--prepare-only", m_prepare_only,
                  "write the dictionary (OUT/<device>.dict) and seed corpus (OUT/seeds-<device>/) and stop, without a "
                  "fuzzer: what an OSS-Fuzz build script packs (fuzz/oss-fuzz/build.sh)");
}

std::optional<int> FuzzCommand::run(const CliContext& context) {
  if (m_cmd == nullptr || !*m_cmd) return std::nullopt;
  return fuzz(context.catalog, context.program);
}

FuzzInputs write_fuzz_inputs(const DeviceBinding& binding, const std::string& out_dir, bool dict, bool seeds) {
  const fs::path out(out_dir);
  make_output_dir(out.string());
  FuzzInputs in;
  if (dict) {
    in.dict = (out / (binding.name + ".dict")).string();
    write_text_file(in.dict, dictionary_text(fuzz_dictionary(binding)));
  }
  if (seeds) {
    const std::vector<FuzzSeed> list = fuzz_seeds(binding);
    const fs::path dir = out / ("seeds-" + binding.name);
    std::error_code ec;
    fs::remove_all(dir, ec);
    make_output_dir(dir.string());
    for (const FuzzSeed& s : list) write_text_file((dir / s.name).string(), s.bytes);
    in.seeds = dir.string();
    in.seed_count = list.size();
  }
  return in;
}

FuzzOutcome fuzz_device(const DeviceBinding& binding, const FuzzRun& run) {
  // libFuzzer's -seed must be non-zero; shards of one base seed never share one.
  uint64_t seed = (run.seed * run.shard_n + run.shard_k) & 0x7fffffffu;
  if (seed == 0) seed = 1;

  const fs::path out(run.out_dir);
  const std::string tag = fmt::format("{}-fuzz-{}", binding.name, run.shard_k);
  const fs::path corpus = out / ("corpus-" + tag);
  const fs::path artifacts = out / ("artifacts-" + tag);
  const fs::path log = out / (tag + ".log");
  make_output_dir(corpus.string());
  std::error_code ec;
  fs::remove_all(artifacts, ec);  // findings of this run only
  make_output_dir(artifacts.string());

  std::vector<std::string> argv = {
      run.fuzzer,
      fmt::format("-max_total_time={}", std::max<uint64_t>(1, static_cast<uint64_t>(run.seconds + 0.5))),
      fmt::format("-seed={}", seed),
      "-artifact_prefix=" + artifacts.string() + "/",
      "-print_final_stats=1",
      "-timeout=20"};
  const FuzzInputs inputs = write_fuzz_inputs(binding, run.out_dir, run.dict, run.seeds);
  if (run.dict) argv.push_back("-dict=" + inputs.dict);
  argv.push_back(corpus.string());  // the first directory: where libFuzzer adds what it finds
  if (run.seeds && inputs.seed_count > 0) argv.push_back(inputs.seeds);
  // The fuzzer reads the waiver file itself (a libFuzzer target takes no options of its own).
  if (run.waivers_path.empty())
    unsetenv("TANDEM_WAIVERS");
  else
    setenv("TANDEM_WAIVERS", fs::absolute(run.waivers_path).c_str(), 1);
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  {
    ProgressLine progress(run.progress, [&](double elapsed) {
      return fmt::format("fuzz: {}, {} of {}, {} left", binding.name, format_duration(elapsed),
                         format_duration(run.seconds), format_duration(run.seconds - elapsed));
    });
    status = run_process(argv, log.string(), run.max_cycles);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string log_text = read_log(log);
  if (status == 127 && log_text.empty()) throw Error(fmt::format("{}: cannot be executed", run.fuzzer));

  std::vector<fs::path> findings;
  for (const fs::directory_entry& e : fs::directory_iterator(artifacts)) findings.push_back(e.path());
  std::sort(findings.begin(), findings.end());
  if (findings.empty() && status != 0)
    throw Error(fmt::format("{} exited with status {} without a finding (see {})", run.fuzzer, status, log.string()));

  FuzzOutcome o;
  o.log = log.string();
  o.corpora.push_back(corpus.string());
  if (run.seeds && inputs.seed_count > 0) o.corpora.push_back(inputs.seeds);
  RunRecord& rec = o.record;
  rec.job = Job{binding.name, "fuzz", seed, executed_units(log_text)};
  rec.fuzz_inputs = rec.job.steps;
  rec.seconds = seconds;
  for (const fs::path& f : findings) {
    const std::string bytes = read_text_file(f.string());
    FuzzDecodeOptions decode;
    decode.max_cycles = run.max_cycles;  // the program the fuzz target ran
    const Program p = decode_fuzz_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), binding, decode);
    o.finding_steps = p.size();
    LockstepOptions options;
    options.max_cycles = run.max_cycles;
    options.waivers = run.waivers;
    const ProgramRun again = run_program(binding, p, options);
    rec.stats = again.stats;
    record_waivers(rec, run.waivers, again.waived);
    if (!again.divergence) {
      rec.failure = fmt::format("finding {} (libFuzzer status {}) is not a divergence here: see {}", f.string(), status,
                                log.string());
      continue;
    }
    ShrinkOptions shrink;
    shrink.lockstep = options;
    const ShrinkResult s =
        shrink_program(binding, Program(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(again.executed)), shrink);
    const std::string replay = (out / (tag + ".replay")).string();
    const std::vector<std::string> notes = reproducer_notes(
        s, fmt::format("found by: {} shard {}/{} seed {}: {} ({} steps decoded)",
                       fs::path(run.fuzzer).filename().string(), run.shard_k, run.shard_n, seed, f.string(), p.size()));
    write_replay(replay, binding.name, s.program, notes);
    o.shrunk_steps = s.program.size();
    rec.divergence = again.divergence;
    rec.divergence->replay = replay;
    rec.failure.clear();
    break;  // libFuzzer stops at its first finding
  }
  return o;
}

int FuzzCommand::fuzz(const Catalog& catalog, const std::string& program) const {
  const DeviceBinding& binding = catalog.get(m_device);
  if (m_prepare_only) {
    const FuzzInputs in = write_fuzz_inputs(binding, m_out, true, true);
    std::cout << fmt::format("dictionary: {}\nseed corpus: {} ({} inputs)\n", in.dict, in.seeds, in.seed_count);
    return kExitClean;
  }
  const ShardSpec shard = resolve_shard(m_shard, 0, process_environment());  // --shard, or a scheduler's index
  FuzzRun run;
  run.fuzzer = find_fuzzer(binding.name, m_fuzzer);
  run.seconds = m_seconds;
  run.seed = m_seed;
  run.shard_k = shard.k;
  run.shard_n = shard.n;
  run.out_dir = m_out;
  run.seeds = !m_no_seeds;
  run.dict = !m_no_dict;
  const WaiverSet waivers = command_waivers(catalog, m_waivers);
  run.waivers_path = m_waivers;
  run.waivers = &waivers;
  run.max_cycles = m_max_cycles;
  run.progress = progress_wanted(m_quiet);
  if (!m_coverage.empty()) write_coverage_plan(binding, m_coverage);  // an unwritable path fails before fuzzing
  const FuzzOutcome o = fuzz_device(binding, run);
  const RunRecord& rec = o.record;
  std::vector<DeviceCoverage> coverage;
  if (!m_coverage.empty()) coverage = {corpus_coverage(binding, o.corpora, m_max_cycles, m_coverage)};
  if (m_json) {
    std::cout << with_coverage_json(runs_json({rec}), m_coverage.empty() ? nullptr : &coverage) << "\n";
  } else {
    if (rec.divergence) std::cout << format_divergence(*rec.divergence, binding) << "\n";
    std::cout << format_summary({rec});
    if (!m_coverage.empty()) std::cout << format_coverage(coverage);
    if (!rec.failure.empty()) std::cerr << program << ": " << rec.failure << "\n";
  }
  return rec.clean() ? kExitClean : kExitDiverged;
}

}  // namespace tandem
