// A model side that is a QEMU process: one of QEMU's own device models, driven over QEMU's qtest
// protocol (read*/write* at the device's guest-physical address, clock_step for time,
// irq_intercept_in for its interrupt line), so it can stand in lockstep against the RTL.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tandem/device.h"
#include "tandem/step.h"

namespace tandem {

struct QemuOptions {
  std::string binary;  // a path, or a file name looked up by find_qemu_binary()
  std::string machine = "virt";
  uint64_t base = 0;                    // the device's guest-physical address: offset 0 of the binding
  std::string irq_path;                 // QOM path of the device whose input line is the device's interrupt
  unsigned irq_line = 0;                // that input's number (the interrupt controller's source number)
  uint64_t clock_hz = 0;                // the RTL's clock: one cycle is 1e9 / clock_hz ns of QEMU's virtual clock
  unsigned quantum = 16;                // cycles between the points where QEMU's interrupt line is sampled when idle
  int timeout_ms = 10000;               // longest wait for one qtest answer before QEMU counts as hung
  std::vector<std::string> extra_args;  // appended to the command line (e.g. "-serial", "null")
  // QEMU's guest RAM as tandem's guest memory, identity-mapped (a DMA address the stimulus
  // programs into the device must mean the same memory on both sides): [ram_base, ram_base +
  // ram_size), e.g. 0x80000000 and virt's default 128 MiB. ram_size 0: the device does no DMA and
  // guest memory stays tandem's. Outside the window QEMU has no RAM: writes are not sent and
  // reads give 0, so the comparison shows what the RTL wrote there.
  uint64_t ram_base = 0;
  uint64_t ram_size = 0;
  // The guest's serial port on a socket this QemuDevice owns (a socket chardev on fd 3), what
  // it sends kept for take_transmitted() and what lockstep feeds it received, instead of
  // `-serial null`.
  bool capture_serial = false;
};

// The qtest-capable QEMU to run: $TANDEM_QEMU when set, else `configured` when it is an
// executable file, else `<name>` in ${TANDEM_CACHE:-$HOME/.cache/tandem}/qemu-*/build/ (what
// `make qemu` builds). Throws Error saying how to get one when there is none.
std::string find_qemu_binary(const std::string& configured, const std::string& name);

// The command line QemuDevice starts `binary` with (options.binary as given, not looked up):
// the machine, `-accel qtest -qtest stdio`, no display, defaults or firmware, the guest's serial
// port on `serial` (a QEMU chardev: QemuDevice uses "null", or its pipe with capture_serial),
// then extra_args. `tandem-qemu qtest --command-line` prints the same list, so a replay's qtest
// session runs by hand under the command line tandem ran it under.
std::vector<std::string> qemu_command_line(const QemuOptions& options, const std::string& serial);

// A program as QEMU's own qtest reads it, timed as QemuDevice drives it: offsets moved to
// `base`, idle cycles and each access's `access_edges` bus edges as clock_step in ns of a
// `clock_hz` clock, `expect` dropped (qtest prints what it read instead); a guest-memory write is
// qtest's own `write`. A reset after the first step has no qtest equivalent (QEMU restarts):
// Error naming the step. `irq_path` adds the irq_intercept_in line the backend sends first.
// An access at an offset `served_by_line` answers true for is the binding's line model's (its
// window: no bus access on either side) and is left out, its time kept.
std::string program_to_qtest(const Program& program, uint64_t base, uint64_t clock_hz, unsigned access_edges,
                             const std::string& irq_path, const std::function<bool(uint64_t)>& served_by_line = {});

class QemuDevice final : public Device {
 public:
  explicit QemuDevice(QemuOptions options);
  ~QemuDevice() override;
  QemuDevice(const QemuDevice&) = delete;
  QemuDevice& operator=(const QemuDevice&) = delete;

  void reset(Cycle now) override;
  BusResponse read(uint64_t offset, unsigned size, Cycle now) override;
  BusResponse write(uint64_t offset, uint64_t value, unsigned size, Cycle now) override;
  void advance(Cycle now) override;
  Cycle next_event(Cycle now) const override;
  uint32_t irq() const override { return m_irq; }
  void save(StateWriter& out) const override;
  std::string restore(StateReader& in) override;
  // Guest memory lives in QEMU's RAM when QemuOptions::ram_size is set: writes are queued and
  // sent with the next command (qtest `write`), reads are qtest `read`.
  bool keeps_guest_memory() const override { return m_options.ram_size > 0; }
  void guest_write(uint64_t addr, uint64_t value, unsigned size, Cycle now) override;
  void guest_read(uint64_t addr, uint8_t* out, size_t n) override;

  // What this run sent, as QEMU's qtest log would show it (the replay of a crash).
  const std::vector<std::string>& sent() const { return m_sent; }
  uint64_t commands() const { return m_commands; }
  pid_t pid() const { return m_pid; }  // -1 once the process is gone
  // What the guest's serial port sent since the last call (capture_serial), across restarts.
  std::string take_transmitted();
  // With capture_serial, lockstep compares what the guest's serial port sent with the RTL's
  // transmit line as its line model decodes it (Device::take_serial).
  bool sends_serial() const override { return m_options.capture_serial; }
  void take_serial(std::string& append_to) override { append_to += take_transmitted(); }
  // And what the guest's serial port receives: the bytes go into its chardev, one at a time
  // as QEMU's UART takes them (a full receiver leaves them waiting, as flow control does).
  bool receives_serial() const override { return m_options.capture_serial; }
  void receive_serial(const std::string& bytes, Cycle now) override;
  uint64_t received() const { return m_received; }  // bytes QEMU took, across restarts

 private:
  void start();
  void stop();
  void step_to(Cycle now, std::string& batch);
  std::string exchange(const std::string& batch, unsigned answers);
  std::string read_line();
  void keep_stderr();
  [[noreturn]] void died(const std::string& while_doing);
  void take_irq(const std::string& line);
  uint64_t ns_at(Cycle c) const;
  bool in_ram(uint64_t addr) const { return addr - m_options.ram_base < m_options.ram_size; }
  std::vector<uint8_t> read_ram(uint64_t addr, size_t n);
  void queue_ram_write(uint64_t addr, const uint8_t* bytes, size_t n);
  void carry_ram_over();

  QemuOptions m_options;
  pid_t m_pid = -1;
  int m_fd = -1;      // the qtest socket (QEMU's stdin and stdout)
  int m_err = -1;     // QEMU's stderr, read when it dies
  int m_serial = -1;  // the serial port's socket (capture_serial), drained as answers are awaited
  std::string m_transmitted;
  void drain_serial();
  void pump_receive();
  bool taken() const;
  std::string m_receive;     // bytes for the guest's serial port QEMU has yet to take
  bool m_in_flight = false;  // the first of them is in the socket
  uint64_t m_received = 0;
  std::string m_in;
  std::string m_stderr;  // what QEMU wrote to stderr lately (its last words on a crash)
  bool m_dead = false;
  bool m_eof = false;      // QEMU closed the qtest channel
  bool m_touched = false;  // an access since QEMU started: a reset must start a fresh one
  Cycle m_origin = 0;      // the edge QEMU's virtual time 0 stands for
  Cycle m_at = 0;          // the edge QEMU stands at
  uint32_t m_irq = 0;
  uint64_t m_commands = 0;
  std::vector<std::string> m_sent;
  std::string m_queued;  // guest-memory writes not yet sent: they go with the next command
  unsigned m_queued_answers = 0;
  std::vector<uint64_t> m_ram_pages;  // pages of RAM guest memory was written to (kRamPage bytes)
};

}  // namespace tandem
