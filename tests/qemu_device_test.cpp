// The QEMU model side's process handling, against stand-in "QEMUs" (shell scripts that speak
// just enough qtest): how the binary is found, a dying or hung process as a `crash`, no process
// left behind, and a program timed as qtest. The real QEMU runs in tests/qemu_cli_test.sh.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <tandem/divergence.h>
#include <tandem/error.h>
#include <tandem/lockstep.h>
#include <tandem/qemu_device.h>
#include <catch2/catch.hpp>

namespace tandem {
// The uart16550 RTL with its receive line held idle and no other pins: its irq word is the
// line alone, as the fake QEMU's is (tests/uart16550_idle_binding.cpp).
DeviceBinding binding_uart16550_idle();
}  // namespace tandem

using namespace tandem;

namespace {

// A stand-in QEMU: answers `OK` to `answers` commands (an `IRQ raise 10` before the
// second unless `irq` is false), then runs `then` (exit, sleep) with its stdin still open.
std::string fake_qemu(const std::string& name, int answers, const std::string& then, bool irq = true) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tandem-fake-" + name + "-" + std::to_string(::getpid()))).string();
  std::ofstream(path) << "#!/bin/sh\nn=0\nwhile [ $n -lt " << answers << " ] && read -r line; do n=$((n+1)); "
                      << (irq ? "[ $n -eq 2 ] && echo 'IRQ raise 10'; " : "") << "echo 'OK 0x0000000000000061'; done\n"
                      << then << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

// A stand-in QEMU with RAM its device has filled with 0xab: it logs every command to `log` and
// answers `read ADDR N` with N bytes of 0xab, everything else with OK.
std::string fake_ram_qemu(const std::string& name, const std::string& log) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tandem-fake-" + name + "-" + std::to_string(::getpid()))).string();
  std::ofstream(path) << "#!/bin/sh\nwhile read -r line; do echo \"$line\" >> " << log << "; set -- $line\n"
                      << "  if [ \"$1\" = read ]; then printf 'OK 0x'; i=0; while [ $i -lt $(($3)) ]; do printf ab; "
                         "i=$((i+1)); done; echo; else echo OK; fi\ndone\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

QemuOptions fake_options(const std::string& binary, int timeout_ms = 5000) {
  ::unsetenv("TANDEM_QEMU");
  QemuOptions o;
  o.binary = binary;
  o.base = 0x10000000;
  o.irq_path = "/machine/plic";
  o.irq_line = 10;
  o.clock_hz = 1000000;  // 1 us a cycle
  o.timeout_ms = timeout_ms;
  return o;
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("a missing QEMU is an error that says how to build one") {
  ::unsetenv("TANDEM_QEMU");
  ::setenv("TANDEM_CACHE", "/nonexistent/tandem-cache", 1);
  try {
    find_qemu_binary("/nonexistent/qemu-system-riscv64", "qemu-system-riscv64");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("make qemu") && Catch::Contains("TANDEM_QEMU"));
  }
  ::setenv("TANDEM_QEMU", "/nonexistent/qemu", 1);
  CHECK_THROWS_WITH(find_qemu_binary("", "qemu-system-riscv64"), Catch::Contains("TANDEM_QEMU=/nonexistent/qemu"));
  ::unsetenv("TANDEM_QEMU");
  ::unsetenv("TANDEM_CACHE");
}

TEST_CASE("QEMU's answers become read data and its IRQ lines the interrupt line") {
  QemuDevice d(fake_options(fake_qemu("ok", 100, "exit 0")));
  d.reset(2);
  CHECK(d.irq() == 0);
  CHECK(d.read(5, 1, 4).data == 0x61);  // clock_step 2000 and readb batched: two answers
  CHECK(d.irq() == 1);                  // the IRQ raise QEMU sent before its second answer
  CHECK(d.commands() == 3);
  CHECK(d.next_event(4) == 18);  // sampled every 16 edges from the reset edge
}

TEST_CASE("a QEMU that dies is a crash naming how, and leaves no process") {
  auto d = std::make_unique<QemuDevice>(fake_options(fake_qemu("dies", 1, "echo 'qemu: hardware error' >&2; exit 3")));
  const pid_t pid = d->pid();
  d->reset(0);
  REQUIRE(alive(pid));
  try {
    d->write(1, 0xff, 1, 4);
    FAIL("no crash");
  } catch (const ModelCrash& e) {
    CHECK_THAT(e.what(), Catch::Contains("exited with status 3") && Catch::Contains("qemu: hardware error"));
  }
  CHECK(d->pid() == -1);
  CHECK(d->read(0, 1, 8).data == 0);  // gone: answers nothing, throws no more
  CHECK_FALSE(alive(pid));
}

TEST_CASE("a hung QEMU ends within its timeout and is killed") {
  QemuDevice d(fake_options(fake_qemu("hangs", 1, "sleep 30"), 300));
  const pid_t pid = d.pid();
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(d.read(0, 1, 4), Catch::Contains("did not answer within 300 ms"));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK_FALSE(alive(pid));
}

TEST_CASE("destroying the model side kills and reaps QEMU") {
  pid_t pid = -1;
  {
    QemuDevice d(fake_options(fake_qemu("lives", 100, "sleep 30")));
    pid = d.pid();
    REQUIRE(alive(pid));
  }
  CHECK_FALSE(alive(pid));
}

TEST_CASE("a QEMU crash in lockstep is a crash divergence at the step that caused it") {
  DeviceBinding b = binding_uart16550_idle();
  const std::string fake = fake_qemu("dies_at_3", 3, "exit 134", false);
  b.make_model = [fake] { return std::unique_ptr<Device>(std::make_unique<QemuDevice>(fake_options(fake))); };
  Lockstep ls(b);
  ls.execute(Step::write(4, 0x00, 1));  // intercept + clock_step + write: three answers
  REQUIRE_FALSE(ls.divergence());
  ls.execute(Step::write(4, 0x01, 1));
  REQUIRE(ls.divergence());
  CHECK(ls.divergence()->kind == DivergenceKind::crash);
  CHECK(std::string(kind_name(ls.divergence()->kind)) == "crash");
  CHECK(ls.divergence()->step == 1);
  CHECK_THAT(ls.divergence()->detail, Catch::Contains("exited with status 134"));
}

TEST_CASE("a program becomes a qtest session timed as the backend drives QEMU") {
  const Program p = {Step::reset(), Step::write(3, 0x80, 1), Step::idle(10), Step::read(5, 1),
                     Step::mem_write(0x80000000, 0x1234, 2)};
  CHECK(program_to_qtest(p, 0x10000000, 1000000, 2, "/machine/x") ==
        "irq_intercept_in /machine/x\n"
        "clock_step 2000\nwriteb 0x10000003 0x80\n"
        "clock_step 12000\nreadb 0x10000005\n"
        "write 0x80000000 2 0x3412\n");
  CHECK_THROWS_WITH(program_to_qtest({Step::read(0, 1), Step::reset()}, 0, 1000, 2, ""),
                    Catch::Contains("step 2: a reset has no qtest command"));
  // A step the line model serves (the binding's window) is no bus access: left out, its time kept.
  CHECK(program_to_qtest({Step::write(0x20, 0x41, 1), Step::read(5, 1)}, 0x10000000, 1000000, 2, "",
                         [](uint64_t offset) { return offset >= 8; }) == "clock_step 4000\nreadb 0x10000005\n");
}

namespace {
QemuOptions ram_options(const std::string& binary) {
  QemuOptions o = fake_options(binary);
  o.ram_base = 0x80000000;
  o.ram_size = 0x8000000;
  return o;
}
std::string temp_log(const std::string& name) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tandem-" + name + "-" + std::to_string(::getpid()) + ".log"))
          .string();
  std::filesystem::remove(path);
  return path;
}
}  // namespace

TEST_CASE("guest-memory writes go into QEMU's RAM with the next command, in one batch") {
  const std::string log = temp_log("ram-writes");
  QemuDevice d(ram_options(fake_ram_qemu("ram-writes", log)));
  CHECK(d.keeps_guest_memory());
  d.reset(0);
  d.guest_write(0x80000010, 0x12345678, 4, 0);
  d.guest_write(0x1000, 0xff, 1, 0);  // not QEMU's RAM: not sent
  CHECK(lines_of(log).size() == 1);   // queued: only the irq_intercept_in so far
  CHECK(d.read(5, 1, 2).data == 0);   // (the stand-in answers OK to readb)
  CHECK(lines_of(log) == std::vector<std::string>{"irq_intercept_in /machine/plic", "write 0x80000010 0x4 0x78563412",
                                                  "clock_step 2000", "readb 0x10000005"});
  CHECK(d.commands() == 4);
}

TEST_CASE("guest-memory reads are QEMU's RAM, and 0 outside it") {
  const std::string log = temp_log("ram-reads");
  QemuDevice d(ram_options(fake_ram_qemu("ram-reads", log)));
  uint8_t bytes[4] = {1, 2, 3, 4};
  d.guest_read(0x7ffffffe, bytes, 4);  // two bytes below the RAM, two in it
  CHECK(std::vector<uint8_t>(bytes, bytes + 4) == std::vector<uint8_t>{0, 0, 0xab, 0xab});
  CHECK(lines_of(log).back() == "read 0x80000000 0x2");
}

TEST_CASE("a reset carries the RAM pages written over to the fresh QEMU") {
  const std::string log = temp_log("ram-reset");
  QemuDevice d(ram_options(fake_ram_qemu("ram-reset", log)));
  d.reset(0);
  d.guest_write(0x80001ff8, 0x1122, 2, 0);
  d.write(3, 0x80, 1, 2);  // touched: the next reset starts a fresh QEMU
  d.reset(10);
  d.advance(20);
  const std::vector<std::string> l = lines_of(log);
  REQUIRE(l.size() == 8);
  CHECK(l[4] == "read 0x80001000 0x1000");  // the old QEMU's page, with what its device wrote
  CHECK(l[5] == "irq_intercept_in /machine/plic");
  CHECK(l[6].rfind("write 0x80001000 0x1000 0xabab", 0) == 0);  // into the new one
  CHECK(l[6].size() == std::string("write 0x80001000 0x1000 0x").size() + 2 * 4096);
  CHECK(l[7] == "clock_step 10000");
}

TEST_CASE("lockstep compares guest memory as QEMU's RAM holds it") {
  DeviceBinding b = binding_uart16550_idle();
  const std::string fake = fake_ram_qemu("ram-lockstep", temp_log("ram-lockstep"));
  b.make_model = [fake] { return std::unique_ptr<Device>(std::make_unique<QemuDevice>(ram_options(fake))); };
  SECTION("at the end of the run") {
    Lockstep ls(b);
    ls.execute(Step::mem_write(0x80000100, 0x11, 1));
    ls.finish();
    REQUIRE(ls.divergence());
    CHECK(ls.divergence()->kind == DivergenceKind::dma);
    CHECK(ls.divergence()->reg == "memory 0x80000100");
    CHECK(ls.divergence()->rtl == 0x11);
    CHECK(ls.divergence()->model == 0xab);  // what the stand-in's device left there
  }
  SECTION("where a program reads guest memory") {
    Lockstep ls(b);
    CHECK(ls.mem_read(0x80000200, 2) == 0);
    REQUIRE(ls.divergence());
    CHECK(ls.divergence()->model == 0xabab);
  }
}

namespace {
// The 16550 of a real qtest-capable QEMU (riscv64 virt), or nullopt with a warning when there
// is none (`make qemu`).
std::optional<QemuOptions> real_uart_options() {
  QemuOptions o;
  try {
    o.binary = find_qemu_binary("", "qemu-system-riscv64");
  } catch (const Error&) {
    WARN("no qtest-capable QEMU (make qemu): not run");
    return std::nullopt;
  }
  o.base = 0x10000000;
  o.clock_hz = 6387088;
  return o;
}
}  // namespace

TEST_CASE("the real QEMU's RAM holds what guest-memory writes put there, across a reset") {
  std::optional<QemuOptions> real = real_uart_options();
  if (!real) return;
  QemuOptions o = *real;
  o.ram_base = 0x80000000;
  o.ram_size = 0x8000000;
  QemuDevice d(o);
  d.reset(2);
  d.guest_write(0x80000ffe, 0x0123456789abcdefULL, 8, 2);  // across a page boundary
  d.guest_write(0x10, 0x55, 1, 2);                         // not RAM: not sent
  uint8_t bytes[12] = {};
  d.guest_read(0x80000ffc, bytes, 12);
  CHECK(std::vector<uint8_t>(bytes, bytes + 12) ==
        std::vector<uint8_t>{0, 0, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0});
  d.write(3, 0x03, 1, 4);
  d.reset(10);  // a fresh QEMU
  std::fill(bytes, bytes + 12, uint8_t(0x77));
  d.guest_read(0x80000ffc, bytes, 12);
  CHECK(bytes[2] == 0xef);
  CHECK(bytes[9] == 0x01);
  CHECK(bytes[11] == 0);
}

TEST_CASE("with serial capture, what QEMU's serial port sends is kept, across a restart") {
  // The stand-in sends "hi" on its fd 3 (QEMU's socket chardev there) before each answer.
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tandem-fake-serial-" + std::to_string(::getpid()))).string();
  std::ofstream(path)
      << "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done | grep -qx 'socket,id=tandem_serial,fd=3' || exit 5\n"
      << "while read -r line; do printf hi >&3; echo OK; done\n";
  ::chmod(path.c_str(), 0755);
  QemuOptions o = fake_options(path);
  o.capture_serial = true;
  QemuDevice d(o);
  d.reset(0);
  d.write(0, 0x41, 1, 2);  // clock_step and writeb: two more answers
  CHECK(d.take_transmitted() == "hihihi");
  CHECK(d.take_transmitted().empty());
  d.reset(4);  // a fresh stand-in; what the old one sent was taken already
  d.write(0, 0x42, 1, 6);
  CHECK(d.take_transmitted() == "hihihi");
}

TEST_CASE("the real QEMU's 16550 transmits into the captured serial port") {
  std::optional<QemuOptions> real = real_uart_options();
  if (!real) return;
  QemuOptions o = *real;
  o.capture_serial = true;
  QemuDevice d(o);
  d.reset(2);
  d.write(3, 0x03, 1, 4);  // 8N1
  d.write(0, 'o', 1, 6);
  d.write(0, 'k', 1, 8);
  d.read(5, 1, 10);  // a round trip: QEMU has written both by its answer
  CHECK(d.take_transmitted() == "ok");
}

TEST_CASE("the real QEMU's 16550 receives what is fed, one byte at a time as it has room") {
  std::optional<QemuOptions> real = real_uart_options();
  if (!real) return;
  QemuOptions o = *real;
  o.capture_serial = true;
  QemuDevice d(o);
  d.reset(2);
  d.write(3, 0x03, 1, 4);  // 8N1, no FIFOs: room for one character
  d.receive_serial("AB", 6);
  CHECK(d.received() == 1);             // 'B' waits: QEMU's RBR is full
  CHECK(d.read(5, 1, 8).data == 0x61);  // DR, no overrun
  CHECK(d.read(0, 1, 10).data == 'A');  // the read makes room: 'B' is taken right after it
  CHECK(d.received() == 2);
  CHECK(d.read(5, 1, 12).data == 0x61);
  CHECK(d.read(0, 1, 14).data == 'B');
  CHECK(d.read(5, 1, 16).data == 0x60);
  // FIFOs on, trigger level 14: QEMU's receiver takes characters up to the trigger level
  // (serial_can_receive), not the FIFO's 16.
  d.write(2, 0xc7, 1, 18);
  d.receive_serial("xyz", 20);
  CHECK(d.received() == 5);
  CHECK(d.read(0, 1, 22).data == 'x');
  CHECK(d.read(0, 1, 24).data == 'y');
  CHECK(d.read(0, 1, 26).data == 'z');
  // Trigger level 1: one character at a time, the next taken when RBR is read.
  d.write(2, 0x07, 1, 28);
  d.receive_serial("12", 30);
  CHECK(d.received() == 6);
  CHECK(d.read(0, 1, 32).data == '1');
  CHECK(d.received() == 7);
  d.receive_serial("3", 34);  // waits: '2' fills the FIFO to its trigger level
  CHECK(d.received() == 7);
  d.reset(36);  // a fresh QEMU: a byte it had yet to take is gone with the old one
  d.receive_serial("Q", 38);
  CHECK(d.received() == 8);
  CHECK(d.read(0, 1, 40).data == 'Q');
}
