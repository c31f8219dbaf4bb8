// The QEMU model side: a qemu-system-* process with the qtest accelerator, spoken to over one
// socket that is its stdin and stdout (`-qtest stdio`). Every wait has a deadline and every
// exit path kills and reaps the process.
#include "tandem/qemu_device.h"

#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "tandem/divergence.h"
#include "tandem/error.h"

namespace tandem {

namespace {

bool is_executable(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string cache_dir() {
  if (const char* c = std::getenv("TANDEM_CACHE"); c && *c) return c;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.cache/tandem";
}

char size_letter(unsigned size) { return size == 1 ? 'b' : size == 2 ? 'w' : size == 8 ? 'q' : 'l'; }

// The last lines QEMU wrote to stderr (its abort or assertion message), on one line.
std::string drain_tail(int fd, std::string text) {
  char buf[4096];
  for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() > 300) text = "..." + text.substr(text.size() - 300);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

}  // namespace

std::string find_qemu_binary(const std::string& configured, const std::string& name) {
  if (const char* env = std::getenv("TANDEM_QEMU"); env && *env) {
    if (!is_executable(env))
      throw Error(fmt::format("TANDEM_QEMU={}: not an executable file (unset it, or run `make qemu`)", env));
    return env;
  }
  if (is_executable(configured)) return configured;
  std::error_code ec;
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(cache_dir(), ec)) {
    const std::string candidate = entry.path().string() + "/build/" + name;
    if (entry.path().filename().string().rfind("qemu-", 0) == 0 && is_executable(candidate)) found.push_back(candidate);
  }
  if (!found.empty()) return *std::max_element(found.begin(), found.end());
  throw Error(
      fmt::format("no qtest-capable {} found (not {}, not in {}/qemu-*/build/): run `make qemu` to build one, or set "
                  "TANDEM_QEMU to its path",
                  name, configured.empty() ? "configured" : configured, cache_dir()));
}

namespace {
constexpr uint64_t kRamPage = 4096;  // the unit guest memory is carried over a restart in
}

QemuDevice::QemuDevice(QemuOptions options) : m_options(std::move(options)) {
  if (m_options.clock_hz == 0) throw Error("QEMU model: CLOCK_HZ must be given (the RTL's clock frequency)");
  if (m_options.ram_size > 0 && (m_options.ram_base % kRamPage || m_options.ram_size % kRamPage ||
                                 m_options.ram_base + m_options.ram_size < m_options.ram_base))
    throw Error(fmt::format("QEMU model: RAM {:#x}+{:#x} must be 4 KiB-aligned and below 2^64", m_options.ram_base,
                            m_options.ram_size));
  m_options.binary = find_qemu_binary(m_options.binary, std::filesystem::path(m_options.binary).filename());
  start();
}

std::vector<std::string> qemu_command_line(const QemuOptions& options, const std::string& serial) {
  std::vector<std::string> args = {options.binary, "-machine",   options.machine, "-accel",   "qtest", "-qtest",
                                   "stdio",        "-qtest-log", "/dev/null",     "-display", "none",  "-nodefaults",
                                   "-bios",        "none",       "-serial",       serial};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  return args;
}

QemuDevice::~QemuDevice() { stop(); }

void QemuDevice::start() {
  int sv[2];
  int err[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) throw Error("QEMU model: socketpair failed");
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(sv[0]);
    ::close(sv[1]);
    throw Error("QEMU model: pipe failed");
  }
  int ser[2] = {-1, -1};
  if (m_options.capture_serial && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ser) != 0) {
    for (int fd : {sv[0], sv[1], err[0], err[1]}) ::close(fd);
    throw Error("QEMU model: socketpair failed");
  }
  // With capture_serial the guest's serial port is a socket chardev on the connected socket
  // the child holds as fd 3: QEMU sends what the guest transmits, and receives what we send.
  std::vector<std::string> args =
      qemu_command_line(m_options, m_options.capture_serial ? "chardev:tandem_serial" : "null");
  if (m_options.capture_serial) {
    args.emplace_back("-chardev");
    args.emplace_back("socket,id=tandem_serial,fd=3");
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec: the parent may have threads (parallel jobs).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive tandem, even when it is killed
    if (::getppid() != parent) ::_exit(127);
    ::dup2(sv[1], 0);
    ::dup2(sv[1], 1);
    ::dup2(err[1], 2);
    if (ser[1] >= 0) ::dup2(ser[1], 3);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(sv[1]);
  ::close(err[1]);
  if (ser[1] >= 0) ::close(ser[1]);
  if (pid < 0) {
    ::close(sv[0]);
    ::close(err[0]);
    if (ser[0] >= 0) ::close(ser[0]);
    throw Error("QEMU model: fork failed");
  }
  m_pid = pid;
  m_fd = sv[0];
  m_err = err[0];
  ::fcntl(m_err, F_SETFL, O_NONBLOCK);
  m_serial = ser[0];
  if (m_serial >= 0) ::fcntl(m_serial, F_SETFL, O_NONBLOCK);
  m_in.clear();
  m_stderr.clear();
  m_receive.clear();  // what the old QEMU had yet to take is lost with it, as in a reset UART
  m_in_flight = false;
  m_dead = false;
  m_eof = false;
  m_touched = false;
  m_irq = 0;
  m_at = m_origin;
  // The first answer proves QEMU is up and speaks qtest; the interrupt line is watched from here.
  if (!m_options.irq_path.empty())
    exchange(fmt::format("irq_intercept_in {}\n", m_options.irq_path), 1);
  else
    exchange("clock_step 0\n", 1);
}

void QemuDevice::drain_serial() {
  char buf[4096];
  for (ssize_t n; m_serial >= 0 && (n = ::recv(m_serial, buf, sizeof buf, MSG_DONTWAIT)) > 0;)
    m_transmitted.append(buf, static_cast<size_t>(n));
}

// Characters for the guest's serial port go one at a time: a byte is sent only once QEMU has
// taken the one before. Whether it has is what the socket still holds unread (SIOCOUTQ), and
// QEMU reads its chardev in its main loop between qtest commands, so the answer is only sure
// after two round trips: QEMU reads a readable chardev, when its UART can take a byte, in the
// main-loop turn that handles the next command at the latest, and a command sent after that
// answer is handled in a later turn. A byte still unread then waits for a command that makes
// room (an RBR read, a FIFO reset); after each command while one waits, the same two round
// trips show whether it was taken. So every byte is taken at a point fixed by the commands,
// never by how fast the processes run.
void QemuDevice::receive_serial(const std::string& bytes, Cycle now) {
  if (m_dead || m_serial < 0) return;
  advance(now);
  m_receive += bytes;
  pump_receive();
}

bool QemuDevice::taken() const {
  int unread = 0;
  return ::ioctl(m_serial, SIOCOUTQ, &unread) == 0 && unread == 0;
}

void QemuDevice::pump_receive() {
  while (!m_dead && !m_receive.empty()) {
    if (!m_in_flight) {
      if (::send(m_serial, m_receive.data(), 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) return;  // QEMU gone
      m_in_flight = true;
    }
    exchange("clock_step 0\n", 1);
    exchange("clock_step 0\n", 1);
    if (!taken()) return;  // QEMU's receiver is full: the byte waits in the socket
    m_receive.erase(0, 1);
    m_in_flight = false;
    ++m_received;
  }
}

std::string QemuDevice::take_transmitted() {
  drain_serial();
  return std::exchange(m_transmitted, std::string());
}

void QemuDevice::stop() {
  if (m_fd >= 0) ::close(m_fd);
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (m_err >= 0) ::close(m_err);
  drain_serial();  // what QEMU sent before it went is still the line's
  if (m_serial >= 0) ::close(m_serial);
  m_fd = m_err = m_serial = -1;
  m_pid = -1;
}

// QEMU is gone or hung: say which, with its last words, and leave no process behind. Later
// calls answer nothing (the lockstep run has its `crash` finding already).
void QemuDevice::died(const std::string& while_doing) {
  m_dead = true;
  std::string how = "stopped answering";
  int status = 0;
  bool exited = false;
  // A closed channel is QEMU exiting: give it a second to become reapable.
  for (int i = 0; m_pid > 0 && i < (m_eof ? 100 : 1) && !exited; ++i) {
    exited = ::waitpid(m_pid, &status, WNOHANG) == m_pid;
    if (!exited && m_eof) ::usleep(10000);
  }
  if (exited) {
    how = WIFSIGNALED(status) ? fmt::format("died of signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)))
                              : fmt::format("exited with status {}", WEXITSTATUS(status));
    m_pid = -1;
  } else if (m_pid > 0 && m_eof) {
    how = "closed its qtest channel (killed)";
  } else if (m_pid > 0) {
    how = fmt::format("did not answer within {} ms (hung; killed)", m_options.timeout_ms);
  }
  const std::string tail = drain_tail(m_err, m_stderr);
  stop();
  throw ModelCrash(fmt::format("QEMU {} {} after {} qtest commands{}{}", how, while_doing, m_commands,
                               tail.empty() ? "" : ": ", tail));
}

void QemuDevice::keep_stderr() {
  char buf[4096];
  const ssize_t n = ::read(m_err, buf, sizeof buf);
  if (n > 0) m_stderr.append(buf, static_cast<size_t>(n));
  if (m_stderr.size() > 8192) m_stderr.erase(0, m_stderr.size() - 4096);
}

std::string QemuDevice::read_line() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_options.timeout_ms);
  for (;;) {
    const size_t nl = m_in.find('\n');
    if (nl != std::string::npos) {
      std::string line = m_in.substr(0, nl);
      m_in.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    // poll() passes over the negative fds (no stderr, no serial capture).
    pollfd p[3] = {{m_fd, POLLIN, 0}, {m_err, POLLIN, 0}, {m_serial, POLLIN, 0}};
    const int r = left.count() > 0 ? ::poll(p, 3, static_cast<int>(left.count())) : 0;
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return "\x01timeout";
    if (p[1].revents & POLLIN) keep_stderr();   // a full stderr pipe would stall QEMU
    if (p[2].revents & POLLIN) drain_serial();  // and so would a full serial pipe
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buf[4096];
    const ssize_t n = ::read(m_fd, buf, sizeof buf);
    if (n <= 0) {
      m_eof = true;
      return std::string(1, '\x01') + "eof";
    }
    m_in.append(buf, static_cast<size_t>(n));
  }
}

void QemuDevice::take_irq(const std::string& line) {
  unsigned n = 0;
  char what[8] = {};
  if (std::sscanf(line.c_str(), "IRQ %7s %u", what, &n) == 2 && n == m_options.irq_line)
    m_irq = std::strcmp(what, "raise") == 0 ? 1u : 0u;
}

// Send `batch` (one or more commands, one write) and collect its `answers` answers; the
// interrupt notifications QEMU interleaves are taken on the way. Returns the last answer.
std::string QemuDevice::exchange(const std::string& command, unsigned answers) {
  // Queued guest-memory writes go first, in the same write.
  const std::string batch = m_queued + command;
  answers += m_queued_answers;
  m_queued.clear();
  m_queued_answers = 0;
  const std::string first = batch.substr(0, batch.find('\n'));
  for (size_t done = 0; done < batch.size();) {
    const ssize_t n = ::send(m_fd, batch.data() + done, batch.size() - done, MSG_NOSIGNAL);
    if (n <= 0) {
      m_eof = true;  // EPIPE: QEMU closed its end
      died(fmt::format("at '{}'", first));
    }
    done += static_cast<size_t>(n);
  }
  m_commands += answers;
  std::string answer;
  while (answers > 0) {
    answer = read_line();
    if (!answer.empty() && answer[0] == '\x01') died(fmt::format("at '{}'", first));
    if (answer.rfind("IRQ ", 0) == 0) {
      take_irq(answer);
      continue;
    }
    if (answer.rfind("OK", 0) != 0) throw Error(fmt::format("QEMU qtest refused '{}': {}", first, answer));
    --answers;
  }
  return answer;
}

uint64_t QemuDevice::ns_at(Cycle c) const {
  const unsigned __int128 t = static_cast<unsigned __int128>(c - m_origin) * 1000000000u;
  return static_cast<uint64_t>(t / m_options.clock_hz);
}

// Append to `batch` the clock_step that brings QEMU's virtual clock to edge `now`.
void QemuDevice::step_to(Cycle now, std::string& batch) {
  if (now <= m_at) return;
  const uint64_t ns = ns_at(now) - ns_at(m_at);
  m_at = now;
  if (ns > 0) batch += fmt::format("clock_step {}\n", ns);
}

void QemuDevice::reset(Cycle now) {
  // qtest has no reset: a fresh QEMU is the device at its reset values (and its RAM carried over).
  m_origin = now;
  if (m_touched || m_dead || m_pid < 0) carry_ram_over();
  m_at = now;
}

// Guest memory outlives a device reset; QEMU's RAM does not outlive QEMU. Every page written
// through guest_write is read from the old QEMU (with what its device wrote there since) and
// written into the new one with its first command.
void QemuDevice::carry_ram_over() {
  std::vector<std::vector<uint8_t>> pages;
  if (!m_dead && m_pid > 0)
    for (uint64_t page : m_ram_pages) pages.push_back(read_ram(page * kRamPage, kRamPage));
  m_queued.clear();
  m_queued_answers = 0;
  stop();
  start();
  for (size_t i = 0; i < pages.size(); ++i) queue_ram_write(m_ram_pages[i] * kRamPage, pages[i].data(), kRamPage);
}

void QemuDevice::queue_ram_write(uint64_t addr, const uint8_t* bytes, size_t n) {
  std::string hex;
  hex.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) hex += fmt::format("{:02x}", bytes[i]);
  m_queued += fmt::format("write {:#x} {:#x} 0x{}\n", addr, n, hex);
  ++m_queued_answers;
  if (m_queued.size() > 65536) exchange("", 0);  // a long setup goes out in bounded batches
}

std::vector<uint8_t> QemuDevice::read_ram(uint64_t addr, size_t n) {
  const std::string answer = exchange(fmt::format("read {:#x} {:#x}\n", addr, n), 1);
  std::vector<uint8_t> bytes(n);
  if (answer.size() != 5 + 2 * n || answer.compare(0, 5, "OK 0x") != 0)
    throw Error(fmt::format("QEMU qtest answered 'read {:#x} {:#x}' with '{}'", addr, n, answer.substr(0, 80)));
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(std::stoul(answer.substr(5 + 2 * i, 2), nullptr, 16));
  return bytes;
}

void QemuDevice::guest_write(uint64_t addr, uint64_t value, unsigned size, Cycle) {
  if (m_dead) return;
  uint8_t bytes[8];
  for (unsigned i = 0; i < size && i < 8; ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * i));
  // The bytes inside the window, as one write (an access crossing its edge loses the rest).
  unsigned first = 0;
  while (first < size && !in_ram(addr + first)) ++first;
  unsigned end = first;
  while (end < size && in_ram(addr + end)) ++end;
  if (end == first) return;
  queue_ram_write(addr + first, bytes + first, end - first);
  const uint64_t page = (addr + first) / kRamPage, last = (addr + end - 1) / kRamPage;
  for (uint64_t p = page; p <= last; ++p) {
    const auto it = std::lower_bound(m_ram_pages.begin(), m_ram_pages.end(), p);
    if (it == m_ram_pages.end() || *it != p) m_ram_pages.insert(it, p);
  }
}

void QemuDevice::guest_read(uint64_t addr, uint8_t* out, size_t n) {
  std::fill(out, out + n, uint8_t(0));
  if (m_dead) return;
  size_t first = 0;
  while (first < n && !in_ram(addr + first)) ++first;
  size_t end = first;
  while (end < n && in_ram(addr + end)) ++end;
  if (end == first) return;
  const std::vector<uint8_t> bytes = read_ram(addr + first, end - first);
  std::copy(bytes.begin(), bytes.end(), out + first);
}

BusResponse QemuDevice::read(uint64_t offset, unsigned size, Cycle now) {
  if (m_dead) return {};
  m_touched = true;
  std::string batch;
  step_to(now, batch);
  const unsigned answers = batch.empty() ? 1 : 2;
  batch += fmt::format("read{} {:#x}\n", size_letter(size), m_options.base + offset);
  const std::string answer = exchange(batch, answers);
  if (m_in_flight) pump_receive();
  BusResponse r;
  r.data = std::strtoull(answer.c_str() + 2, nullptr, 0) & size_mask(size);
  return r;
}

BusResponse QemuDevice::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  if (m_dead) return {};
  m_touched = true;
  std::string batch;
  step_to(now, batch);
  const unsigned answers = batch.empty() ? 1 : 2;
  batch += fmt::format("write{} {:#x} {:#x}\n", size_letter(size), m_options.base + offset, value & size_mask(size));
  exchange(batch, answers);
  if (m_in_flight) pump_receive();
  return {};
}

void QemuDevice::advance(Cycle now) {
  if (m_dead) return;
  std::string batch;
  step_to(now, batch);
  if (!batch.empty()) exchange(batch, 1);
  if (m_in_flight && !batch.empty()) pump_receive();
}

// QEMU's timers are not visible over qtest: the line is sampled every `quantum` edges, so an
// interrupt that QEMU raises from a timer is seen up to quantum - 1 edges late (a tolerance
// the binding's waiver file states).
Cycle QemuDevice::next_event(Cycle now) const {
  if (m_dead) return kNever;
  const Cycle q = std::max(1u, m_options.quantum);
  return now + q - (now - m_origin) % q;
}

// QEMU's device state lives in QEMU; qtest cannot read or load it.
void QemuDevice::save(StateWriter& out) const { out.u32(0x51454d55); }
std::string QemuDevice::restore(StateReader&) {
  return "qemu: a QEMU device's state cannot be saved or restored over qtest (use a snapshot-free strategy)";
}

}  // namespace tandem
