// Which shard of a campaign this process runs: `--shard K/N`, or the task index an existing
// scheduler hands its tasks (a Kubernetes Indexed Job, a Slurm or Grid Engine array job, an AWS
// Batch array job). tandem never schedules anything itself; docs/scale-out.md has the recipes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace tandem {

struct ShardSpec {
  unsigned k = 1, n = 1;  // 1-based K of N
  std::string source;     // "--shard", or the variable K came from ("" for the whole campaign)
};

// "K/N" with 1 <= K <= N; Error naming the option otherwise.
ShardSpec parse_shard(const std::string& text, const std::string& option = "--shard");

// Reads the environment through `env` (getenv by default, a map in tests).
using Environment = std::function<std::optional<std::string>(const char*)>;
Environment process_environment();

// The shard to run: `given` ("--shard K/N") when not empty, else TANDEM_SHARD=K/N, else the
// first scheduler index present (its count from the scheduler, else `count` (--shard-count),
// else TANDEM_SHARD_COUNT), else the whole campaign (1/1). An index without a count, or out of
// range, is an Error naming the variable.
ShardSpec resolve_shard(const std::string& given, unsigned count, const Environment& env);

}  // namespace tandem
