// Replay files: parser and writer. The parser trusts nothing: every line is checked for
// length, characters, command, argument count, number syntax and range before it becomes a Step.
#include "tandem/replay.h"

#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/files.h"

namespace tandem {

namespace {

constexpr size_t kMaxDeviceName = 128;

bool is_space(char c) { return c == ' ' || c == '\t'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// What a printable excerpt of untrusted text looks like in an error message.
std::string quoted(std::string_view s) {
  std::string out = "'";
  size_t n = 0;
  for (char c : s) {
    if (++n > 40) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f)
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  return out + "'";
}

std::string size_word(unsigned size) { return size == 1 ? "1 byte" : fmt::format("{} bytes", size); }

class LineParser {
 public:
  LineParser(const std::string& source, size_t line, std::string_view text)
      : m_source(source), m_line(line), m_text(text) {}

  template <class... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) const {
    throw Error(fmt::format("{}:{}: {}", m_source, m_line, fmt::format(format, std::forward<Args>(args)...)));
  }

  // Split the step part of the line into tokens; a token starting with '#' begins a comment.
  void tokenize() {
    size_t i = 0;
    while (i < m_text.size()) {
      while (i < m_text.size() && is_space(m_text[i])) ++i;
      if (i == m_text.size()) break;
      if (m_text[i] == '#') break;
      const size_t start = i;
      while (i < m_text.size() && !is_space(m_text[i])) {
        const auto u = static_cast<unsigned char>(m_text[i]);
        if (u < 0x20 || u >= 0x7f)
          fail("unexpected character \\x{:02x} in column {} (a step line is plain ASCII)", u, i + 1);
        ++i;
      }
      m_tokens.push_back(m_text.substr(start, i - start));
    }
  }

  Step parse_step() {
    tokenize();
    const std::string_view cmd = m_tokens.at(0);
    Step step;
    if (cmd == "reset") {
      step = Step::reset();
    } else if (cmd == "clock_step") {
      const uint64_t n = number(1, "N (cycles)");
      if (n > kReplayMaxClockStep) fail("clock_step {} is more than the limit of {} cycles", n, kReplayMaxClockStep);
      step = Step::idle(n);
    } else if (cmd == "write") {
      step = parse_mem_write();
    } else if (const unsigned size = access_size(cmd, "read"); size != 0) {
      const uint64_t addr = address(1, size);
      step = Step::read(addr, static_cast<uint8_t>(size));
      if (m_tokens.size() > 2) {
        if (m_tokens[2] != "expect")
          fail("unexpected {} after {} ADDR (only 'expect VALUE' may follow)", quoted(m_tokens[2]), cmd);
        step.expect = value(3, size, "expect VALUE");
        m_used = 4;
      } else {
        m_used = 2;
      }
    } else if (const unsigned wsize = access_size(cmd, "write"); wsize != 0) {
      const uint64_t addr = address(1, wsize);
      step = Step::write(addr, value(2, wsize, "VALUE"), static_cast<uint8_t>(wsize));
    } else {
      fail(
          "unknown command {} (known: readb readw readl readq [expect V], writeb writew writel writeq, "
          "write ADDR SIZE 0xBYTES, clock_step N, reset)",
          quoted(cmd));
    }
    if (m_tokens.size() > m_used) fail("unexpected {} after the step (trailing junk)", quoted(m_tokens[m_used]));
    return step;
  }

 private:
  // readb/readw/readl/readq (or write...): the access size in bytes, 0 when `cmd` is not one.
  static unsigned access_size(std::string_view cmd, std::string_view stem) {
    if (cmd.size() != stem.size() + 1 || cmd.substr(0, stem.size()) != stem) return 0;
    switch (cmd.back()) {
      case 'b': return 1;
      case 'w': return 2;
      case 'l': return 4;
      case 'q': return 8;
      default: return 0;
    }
  }

  std::string_view arg(size_t index, std::string_view what) {
    if (m_tokens.size() <= index) fail("{}: missing {}", m_tokens[0], what);
    if (m_used < index + 1) m_used = index + 1;
    return m_tokens[index];
  }

  uint64_t number(size_t index, std::string_view what) {
    const std::string_view t = arg(index, what);
    uint64_t v = 0;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
      for (size_t i = 2; i < t.size(); ++i) {
        const int d = hex_digit(t[i]);
        if (d < 0) fail("{}: bad number {} for {} (hex needs 0-9, a-f after 0x)", m_tokens[0], quoted(t), what);
        if (v >> 60) fail("{}: {} for {} does not fit in 64 bits", m_tokens[0], quoted(t), what);
        v = (v << 4) | static_cast<uint64_t>(d);
      }
      return v;
    }
    for (char c : t) {
      if (c < '0' || c > '9') fail("{}: bad number {} for {} (decimal, or hex with 0x)", m_tokens[0], quoted(t), what);
      const auto d = static_cast<uint64_t>(c - '0');
      if (v > (UINT64_MAX - d) / 10) fail("{}: {} for {} does not fit in 64 bits", m_tokens[0], quoted(t), what);
      v = v * 10 + d;
    }
    return v;
  }

  uint64_t address(size_t index, unsigned size) {
    const uint64_t a = number(index, "ADDR");
    if (a > UINT64_MAX - (size - 1))
      fail("{}: an access of {} at {:#x} wraps past the end of the address space", m_tokens[0], size_word(size), a);
    return a;
  }

  uint64_t value(size_t index, unsigned size, std::string_view what) {
    const uint64_t v = number(index, what);
    if (size < 8 && (v >> (8 * size)) != 0)
      fail("{}: value {:#x} does not fit in {} ({} is the largest)", m_tokens[0], v, size_word(size),
           fmt::format("{:#x}", size_mask(size)));
    return v;
  }

  static uint64_t size_mask(unsigned size) { return size >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * size)) - 1; }

  // qtest's guest-memory write: write ADDR SIZE 0xBYTES, the bytes in memory order.
  Step parse_mem_write() {
    number(1, "ADDR");  // reports a missing or malformed ADDR before anything about SIZE
    const uint64_t size = number(2, "SIZE");
    if (size != 1 && size != 2 && size != 4 && size != 8) fail("write: SIZE must be 1, 2, 4 or 8, not {}", size);
    const uint64_t addr = address(1, static_cast<unsigned>(size));
    const std::string_view bytes = arg(3, "0xBYTES");
    if (bytes.size() < 2 || bytes[0] != '0' || (bytes[1] != 'x' && bytes[1] != 'X'))
      fail("write: bad data {} (expected 0x and {} hex digits, bytes in memory order)", quoted(bytes), 2 * size);
    const std::string_view hex = bytes.substr(2);
    if (hex.size() != 2 * size)
      fail("write: SIZE is {} but the data has {} hex digits (expected {})", size, hex.size(), 2 * size);
    uint64_t data = 0;
    for (size_t i = 0; i < size; ++i) {
      const int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) fail("write: bad data {} (hex digits only after 0x)", quoted(bytes));
      data |= static_cast<uint64_t>(hi * 16 + lo) << (8 * i);
    }
    return Step::mem_write(addr, data, static_cast<uint8_t>(size));
  }

  const std::string& m_source;
  size_t m_line;
  std::string_view m_text;
  std::vector<std::string_view> m_tokens;
  size_t m_used = 1;  // tokens the step consumed
};

// Whitespace-separated words of a comment, one at a time.
class Words {
 public:
  explicit Words(std::string_view text) : m_text(text) {}
  std::string_view next() {
    while (m_pos < m_text.size() && is_space(m_text[m_pos])) ++m_pos;
    const size_t start = m_pos;
    while (m_pos < m_text.size() && !is_space(m_text[m_pos])) ++m_pos;
    return m_text.substr(start, m_pos - start);
  }

 private:
  std::string_view m_text;
  size_t m_pos = 0;
};

// bus_timing=N: decimal, at most 20 digits, fitting 64 bits.
uint64_t header_number(std::string_view digits, const LineParser& p) {
  if (digits.empty()) p.fail("replay header: bus_timing= has no number");
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') p.fail("replay header: bad bus_timing {} (a decimal number)", quoted(digits));
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) p.fail("replay header: bus_timing {} does not fit in 64 bits", quoted(digits));
    v = v * 10 + d;
  }
  return v;
}

// A comment whose first words are "tandem replay" is a header (or a malformed one).
bool is_header(std::string_view comment) {
  Words w(comment);
  return w.next() == "tandem" && w.next() == "replay";
}

// "tandem replay v1 device=NAME [bus_timing=N]" (the comment text after '#'); false when it
// is not a header. Files without bus_timing (all before it existed) run the fixed bus timing.
bool parse_header(std::string_view comment, const LineParser& p, std::string& device, uint64_t& bus_timing) {
  if (!is_header(comment)) return false;
  Words words(comment);
  auto next_token = [&] { return words.next(); };
  next_token();
  next_token();
  const std::string_view version = next_token();
  if (version != fmt::format("v{}", kReplayVersion))
    p.fail("replay header: unsupported format version {} (this tandem reads v{})",
           quoted(version.empty() ? "(none)" : version), kReplayVersion);
  bool have_device = false, have_timing = false;
  for (std::string_view t = next_token(); !t.empty(); t = next_token()) {
    if (t.substr(0, 11) == "bus_timing=") {
      if (have_timing) p.fail("replay header: bus_timing= given twice");
      bus_timing = header_number(t.substr(11), p);
      have_timing = true;
      continue;
    }
    if (t.substr(0, 7) != "device=")
      p.fail("replay header: unknown field {} (expected device=NAME, bus_timing=N)", quoted(t));
    if (have_device) p.fail("replay header: device= given twice");
    const std::string_view name = t.substr(7);
    if (name.empty()) p.fail("replay header: device= has no name");
    if (name.size() > kMaxDeviceName) p.fail("replay header: device name longer than {} characters", kMaxDeviceName);
    for (char c : name) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '.' || c == '-';
      if (!ok) p.fail("replay header: bad device name {} (letters, digits, '_', '.', '-')", quoted(name));
    }
    device = std::string(name);
    have_device = true;
  }
  if (!have_device) p.fail("replay header: missing device=NAME");
  return true;
}

}  // namespace

ReplayFile parse_replay(std::string_view text, const std::string& source) {
  ReplayFile file;
  file.source = source;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const LineParser where(source, line_no, line);
    if (line.size() > kReplayMaxLine) where.fail("line is longer than {} characters", kReplayMaxLine);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files

    size_t first = 0;
    while (first < line.size() && is_space(line[first])) ++first;
    if (first == line.size()) continue;  // blank
    if (line[first] == '#') {
      std::string_view comment = line.substr(first + 1);
      std::string device;
      uint64_t bus_timing = 0;
      if (parse_header(comment, where, device, bus_timing)) {
        if (file.header_line != 0) where.fail("a second replay header (the first is on line {})", file.header_line);
        if (!file.program.empty()) where.fail("the replay header must come before the first step");
        file.header_line = line_no;
        file.device = std::move(device);
        file.bus_timing = bus_timing;
      } else {
        if (!comment.empty() && comment.front() == ' ') comment.remove_prefix(1);
        file.notes.emplace_back(comment);
      }
      continue;
    }
    LineParser p(source, line_no, line);
    file.program.push_back(p.parse_step());
    file.lines.push_back(line_no);
  }
  return file;
}

ReplayFile load_replay(const std::string& path) {
  return parse_replay(read_text_file(path, kReplayMaxBytes, "not a replay file"), path);
}

std::string replay_device(const ReplayFile& file, const std::string& override_device) {
  if (!override_device.empty()) return override_device;
  if (!file.device.empty()) return file.device;
  throw Error(
      fmt::format("{}:1: no device: the file has no '# tandem replay v{} device=NAME' header and no "
                  "--device was given",
                  file.source, kReplayVersion));
}

const DeviceBinding& replay_binding(const ReplayFile& file, const std::string& override_device,
                                    const Catalog& catalog) {
  const std::string name = replay_device(file, override_device);
  if (!override_device.empty()) return catalog.get(name);
  try {
    return catalog.get(name);
  } catch (const Error& e) {
    throw Error(fmt::format("{}:{}: {}", file.source, file.header_line, e.what()));
  }
}

void check_replay_steps(const ReplayFile& file, const DeviceBinding& binding) {
  const uint64_t limit = binding.addr_limit();
  for (size_t i = 0; i < file.program.size(); ++i) {
    const Step& s = file.program[i];
    if (s.kind != StepKind::read && s.kind != StepKind::write) continue;
    if (s.addr >= limit || s.size > limit - s.addr)
      throw Error(fmt::format("{}:{}: {}: beyond the address window of {} (0x0-{:#x})", file.source,
                              i < file.lines.size() ? file.lines[i] : 0, format_step(s), binding.name, limit - 1));
  }
}

std::string format_replay(const std::string& device, const Program& program, const std::vector<std::string>& notes,
                          uint64_t bus_timing) {
  std::string out = fmt::format("# tandem replay v{} device={}", kReplayVersion, device);
  if (bus_timing != 0) out += fmt::format(" bus_timing={}", bus_timing);
  out += "\n";
  for (const std::string& note : notes) {
    std::string line = note;
    for (char& c : line)
      if (c == '\n' || c == '\r') c = ' ';
    if (is_header(line)) line = "note: " + line;                            // a note must never read back as a header
    if (line.size() > kReplayMaxLine - 2) line.resize(kReplayMaxLine - 2);  // "# " + note fits a line
    out += "# " + line + "\n";
  }
  for (const Step& s : program) out += format_step(s) + "\n";
  return out;
}

void write_replay(const std::string& path, const std::string& device, const Program& program,
                  const std::vector<std::string>& notes, uint64_t bus_timing) {
  write_text_file(path, format_replay(device, program, notes, bus_timing));
}

bool same_step(const Step& a, const Step& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case StepKind::read: return a.size == b.size && a.addr == b.addr && a.expect == b.expect;
    case StepKind::write:
    case StepKind::mem_write: return a.size == b.size && a.addr == b.addr && a.data == b.data;
    case StepKind::idle: return a.data == b.data;
    case StepKind::reset: return true;
  }
  return false;
}

}  // namespace tandem
