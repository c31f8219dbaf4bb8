// Snapshot commands. check: exit 0 valid, 1 invalid (the reason names the field), 2 unreadable.
#include "snapshot_cmd.h"

#include <iostream>

#include <fmt/format.h>

#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/snapshot.h>
#include <tandem/stimulus.h>

namespace tandem {

void add_snapshot_commands(CLI::App& app, SnapshotArgs& args) {
  CLI::App* group = app.add_subcommand("snapshot", "save and check device state files");
  group->require_subcommand(1);
  args.save = group->add_subcommand("save", "run the model alone on random stimulus, then save its state");
  args.save->add_option("--device,-d", args.device, "device")->required();
  args.save->add_option("--seed,-s", args.seed, "seed of the stimulus");
  args.save->add_option("--steps,-n", args.steps, "steps to run before saving");
  args.save->add_option("FILE", args.file, "snapshot file to write")->required();
  args.check = group->add_subcommand("check", "validate a snapshot file: exit 0 valid, 1 invalid, 2 unreadable");
  args.check->add_option("FILE", args.file, "snapshot file")->required();
  args.check->add_option("--device,-d", args.device, "device to restore into (default: the header's)");
}

int run_snapshot_command(const Catalog& catalog, const SnapshotArgs& args) {
  if (args.save && *args.save) {
    const DeviceBinding& b = catalog.get(args.device);
    ModelExecutor model(b);
    std::unique_ptr<Stimulus> stimulus = make_stimulus("random", b, args.seed);
    for (uint64_t i = 0; i < args.steps; ++i) model.execute(stimulus->next());
    write_file_bytes(args.file, encode_snapshot(take_snapshot(b, model.model())));
    std::cout << fmt::format("{}: {} state after {} steps (cycle {})\n", args.file, b.name, args.steps, model.now());
    return 0;
  }
  if (args.check && *args.check) {
    const std::vector<uint8_t> bytes = read_file_bytes(args.file);  // unreadable: Error, exit 2
    Snapshot s;
    try {
      s = decode_snapshot(bytes, args.file);
    } catch (const Error& e) {
      std::cout << "invalid: " << e.what() << "\n";
      return 1;
    }
    const DeviceBinding& b = catalog.get(args.device.empty() ? s.device : args.device);
    std::unique_ptr<Device> model = b.make_model();
    const std::string why = restore_snapshot(b, s, *model);
    if (!why.empty()) {
      std::cout << fmt::format("invalid: {}: {}\n", args.file, why);
      return 1;
    }
    std::cout << fmt::format("valid: {}: {} state, {} bytes\n", args.file, b.name, s.state.size());
    return 0;
  }
  return -1;
}

}  // namespace tandem
