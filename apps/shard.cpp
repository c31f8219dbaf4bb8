// --shard K/N from the option or from a scheduler's task index.
#include "shard.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include <tandem/error.h>

namespace tandem {

namespace {

// A scheduler's index variable: how it counts (0- or 1-based, or from another variable) and
// where it says how many tasks there are.
struct IndexVariable {
  const char* index;
  const char* first;  // variable holding the first index (Slurm, Grid Engine), or nullptr
  unsigned base;      // the first index when `first` is absent
  const char* count;  // variable holding the task count, or nullptr
  const char* last;   // variable holding the last index (Grid Engine), or nullptr
};

// Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX (0-based) and no count: the Job's
// spec.completions must come as --shard-count or TANDEM_SHARD_COUNT. Slurm arrays may start
// anywhere (--array=5-8): the index is taken relative to SLURM_ARRAY_TASK_MIN.
// CI systems with parallel jobs name theirs too (GitLab's `parallel:`, CircleCI's
// `parallelism:`, Buildkite's `parallelism:`); GitHub Actions has no such variable: its matrix
// passes --shard.
constexpr IndexVariable kSchedulers[] = {
    {"JOB_COMPLETION_INDEX", nullptr, 0, nullptr, nullptr},
    {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", 0, "SLURM_ARRAY_TASK_COUNT", nullptr},
    {"SGE_TASK_ID", "SGE_TASK_FIRST", 1, nullptr, "SGE_TASK_LAST"},
    {"AWS_BATCH_JOB_ARRAY_INDEX", nullptr, 0, nullptr, nullptr},
    {"CI_NODE_INDEX", nullptr, 1, "CI_NODE_TOTAL", nullptr},
    {"CIRCLE_NODE_INDEX", nullptr, 0, "CIRCLE_NODE_TOTAL", nullptr},
    {"BUILDKITE_PARALLEL_JOB", nullptr, 0, "BUILDKITE_PARALLEL_JOB_COUNT", nullptr},
};

std::optional<uint64_t> number(const Environment& env, const char* name) {
  if (name == nullptr) return std::nullopt;
  const std::optional<std::string> text = env(name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || (*text)[0] == '-')
    throw Error(fmt::format("{}='{}': not a whole number", name, *text));
  return v;
}

ShardSpec from_scheduler(const IndexVariable& s, unsigned count, const Environment& env) {
  const uint64_t index = *number(env, s.index);
  const uint64_t first = number(env, s.first).value_or(s.base);
  std::optional<uint64_t> total = number(env, s.count);
  if (!total && s.last != nullptr)
    if (const std::optional<uint64_t> last = number(env, s.last)) total = *last >= first ? *last - first + 1 : 0;
  if (!total && count > 0) total = count;
  if (!total) total = number(env, "TANDEM_SHARD_COUNT");
  if (!total || *total == 0)
    throw Error(
        fmt::format("{}={} is set but not how many shards there are: give --shard-count N or "
                    "TANDEM_SHARD_COUNT (or --shard K/N)",
                    s.index, index));
  if (index < first || index - first >= *total)
    throw Error(fmt::format("{}={}: not a task index of {} shards starting at {}", s.index, index, *total, first));
  return ShardSpec{static_cast<unsigned>(index - first + 1), static_cast<unsigned>(*total), s.index};
}

}  // namespace

ShardSpec parse_shard(const std::string& text, const std::string& option) {
  ShardSpec s;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%u/%u%c", &s.k, &s.n, &extra) != 2 || s.n == 0 || s.k == 0 || s.k > s.n)
    throw Error(fmt::format("{} '{}': expected K/N with 1 <= K <= N", option, text));
  s.source = option;
  return s;
}

Environment process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
  };
}

ShardSpec resolve_shard(const std::string& given, unsigned count, const Environment& env) {
  if (!given.empty()) return parse_shard(given);
  if (const std::optional<std::string> t = env("TANDEM_SHARD")) return parse_shard(*t, "TANDEM_SHARD");
  for (const IndexVariable& s : kSchedulers)
    if (env(s.index)) return from_scheduler(s, count, env);
  return ShardSpec{};
}

}  // namespace tandem
