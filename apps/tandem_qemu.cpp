// tandem-qemu: the bundled devices plus those whose model side is a QEMU process
// (tandem_add_device MODEL_QEMU), and `tandem-qemu qtest FILE`: a replay file as QEMU's own qtest
// reads it, to attach to a QEMU bug report or pipe into `qemu-system-* -accel qtest -qtest stdio`.
#include <filesystem>
#include <iostream>
#include <memory>

#include <tandem/qemu_device.h>
#include <tandem/replay.h>
#include <CLI/CLI.hpp>

#include "cli.h"

namespace tandem {
std::vector<DeviceBinding> bundled_devices();
DeviceBinding binding_uart16550_qemu();
QemuOptions qemu_options_uart16550_qemu();

namespace {

class QtestCommand final : public Command {
 public:
  void add_to(CLI::App& app) override {
    m_cmd = app.add_subcommand("qtest", "Print a replay file of a QEMU-backed device as QEMU's own qtest session");
    m_cmd->add_option("file", m_file, "replay file")->required();
    m_cmd->add_option("--device", m_device, "device (default: the file's header)");
    m_cmd->add_flag("--command-line", m_command_line,
                    "print the QEMU command line the session is for instead (the serial port the binding captures goes "
                    "to qemu-serial.out)");
  }
  std::optional<int> run(const CliContext& context) override {
    if (!m_cmd->parsed()) return std::nullopt;
    const ReplayFile file = load_replay(m_file);
    const DeviceBinding& binding = replay_binding(file, m_device, context.catalog);
    if (binding.name != "uart16550_qemu")
      throw Error(m_file + ":" + std::to_string(file.header_line) + ": device '" + binding.name +
                  "' is not QEMU-backed (known: uart16550_qemu)");
    QemuOptions o = qemu_options_uart16550_qemu();
    if (m_command_line) {
      o.binary = find_qemu_binary(o.binary, std::filesystem::path(o.binary).filename());
      // The serial port the binding captures goes to a file beside the session instead.
      const std::vector<std::string> args = qemu_command_line(o, o.capture_serial ? "file:qemu-serial.out" : "null");
      for (size_t i = 0; i < args.size(); ++i) std::cout << (i ? " " : "") << args[i];
      std::cout << "\n";
      return 0;
    }
    // Line-model steps (the binding's window: H_INJ_DATA) are no bus access: left out.
    std::function<bool(uint64_t)> served;
    if (binding.make_pin_source) {
      std::shared_ptr<PinSource> line = binding.make_pin_source();
      if (line && line->has_window()) served = [line](uint64_t offset) { return line->serves(offset); };
    }
    std::cout << program_to_qtest(file.program, o.base, o.clock_hz, binding.access_edges, o.irq_path, served);
    return 0;
  }

 private:
  CLI::App* m_cmd = nullptr;
  std::string m_file, m_device;
  bool m_command_line = false;
};

}  // namespace
}  // namespace tandem

int main(int argc, char** argv) {
  std::vector<tandem::DeviceBinding> devices = tandem::bundled_devices();
  devices.push_back(tandem::binding_uart16550_qemu());
  const tandem::Catalog catalog(std::move(devices));
  tandem::Commands extra;
  extra.push_back(std::make_unique<tandem::QtestCommand>());
  return tandem::run_cli(argc, argv, catalog, "tandem-qemu", std::move(extra));
}
