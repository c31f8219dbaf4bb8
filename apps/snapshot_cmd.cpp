// Snapshot commands. check: exit 0 valid, 1 invalid (the reason names the field), 2 unreadable.
// attack: exit 0 clean, 1 when the model's restore and its reference's disagree (field named).
#include "snapshot_cmd.h"

#include <iostream>

#include <fmt/format.h>

#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/report.h>
#include <tandem/restore_attack.h>
#include <tandem/snapshot.h>
#include <tandem/stimulus.h>

namespace tandem {

void SnapshotCommands::add_to(CLI::App& app) {
  CLI::App* group = app.add_subcommand("snapshot", "save and check device state files");
  group->require_subcommand(1);
  m_save = group->add_subcommand("save", "run the model alone on random stimulus, then save its state");
  m_save->add_option("--device,-d", m_device, "device")->required();
  m_save->add_option("--seed,-s", m_seed, "seed of the stimulus");
  m_save->add_option("--steps,-n", m_steps, "steps to run before saving");
  m_save->add_option("FILE", m_file, "snapshot file to write")->required();
  m_check = group->add_subcommand("check", "validate a snapshot file: exit 0 valid, 1 invalid, 2 unreadable");
  m_check->add_option("FILE", m_file, "snapshot file")->required();
  m_check->add_option("--device,-d", m_device, "device to restore into (default: the header's)");
  m_attack = group->add_subcommand(
      "attack",
      "offer the model's restore crafted states (boundary values at every field, counts past capacity) and "
      "compare its verdicts with the reference model's (a seeded bug <device>.<bug>: <device>): exit 0 clean, 1 "
      "when they disagree");
  m_attack->add_option("--device,-d", m_device, "device")->required();
  m_attack->add_option("--seed,-s", m_seed, "seed of the run the attacked states are saved along");
  m_attack->add_option("--steps,-n", m_steps, "steps of that run (default: 1000)");
  m_attack->add_flag("--json", m_json, "print JSON");
}

std::optional<int> SnapshotCommands::run(const CliContext& context) {
  const Catalog& catalog = context.catalog;
  if (m_save && *m_save) {
    const DeviceBinding& b = catalog.get(m_device);
    ModelExecutor model(b);
    std::unique_ptr<Stimulus> stimulus = make_stimulus("random", b, m_seed);
    for (uint64_t i = 0; i < m_steps; ++i) model.execute(stimulus->next());
    write_file_bytes(m_file, encode_snapshot(take_snapshot(b, model.model(), model.pins())));
    std::cout << fmt::format("{}: {} state after {} steps (cycle {})\n", m_file, b.name, m_steps, model.now());
    return 0;
  }
  if (m_check && *m_check) {
    const std::vector<uint8_t> bytes = read_file_bytes(m_file);  // unreadable: Error, exit 2
    Snapshot s;
    try {
      s = decode_snapshot(bytes, m_file);
    } catch (const Error& e) {
      std::cout << "invalid: " << e.what() << "\n";
      return 1;
    }
    const DeviceBinding& b = catalog.get(m_device.empty() ? s.device : m_device);
    std::unique_ptr<Device> model = b.make_model();
    std::unique_ptr<PinSource> pins = make_pin_source(b);
    const std::string why = restore_snapshot(b, s, *model, pins.get());
    if (!why.empty()) {
      std::cout << fmt::format("invalid: {}: {}\n", m_file, why);
      return 1;
    }
    std::cout << fmt::format("valid: {}: {} state, {} bytes\n", m_file, b.name, s.state.size());
    return 0;
  }
  if (m_attack && *m_attack) {
    AttackOptions options = campaign_attack_options(m_seed);
    options.steps = m_steps;
    const DeviceAttack a = attack_device(catalog, m_device, options);
    std::cout << (m_json ? attack_json(a) + "\n" : format_attack(a));
    return a.report.divergence ? 1 : 0;
  }
  return std::nullopt;
}

}  // namespace tandem
