// Replay files: the text format_step prints parses back to the same steps; every malformed
// line is an Error "FILE:LINE: what is wrong"; the parser survives arbitrary bytes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <tandem/error.h>
#include <tandem/replay.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace tandem;

namespace {

// The message of the Error parsing `text` throws ("" when it parses).
std::string parse_error(const std::string& text, const std::string& name = "t.replay") {
  try {
    parse_replay(text, name);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Step pinned(Step s, uint64_t v) {
  s.expect = v;
  return s;
}

// A directory of this process under the system's temporary directory, removed afterwards.
struct TempDir {
  explicit TempDir(const std::string& name)
      : path(
            (std::filesystem::temp_directory_path() / ("tandem_replay_test_" + std::to_string(::getpid()) + "_" + name))
                .string()) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

void check_same_program(const Program& a, const Program& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("step " << i << ": " << format_step(a[i]) << " vs " << format_step(b[i]));
    CHECK(same_step(a[i], b[i]));
  }
}

}  // namespace

TEST_CASE("every kind of step printed by format_step parses back to the identical step", "[replay]") {
  const Program steps = {
      Step::read(0x8, 1),
      Step::read(0x8, 2),
      Step::read(0x8, 4),
      Step::read(0xfff8, 8),
      pinned(Step::read(0x8, 4), 0x3),
      pinned(Step::read(0x0, 8), 0xffffffffffffffffull),
      Step::write(0xc, 0x4, 4),
      Step::write(0x1, 0xff, 1),
      Step::write(0x2, 0xbeef, 2),
      Step::write(0x10, 0x0123456789abcdefull, 8),
      Step::idle(1),
      Step::idle(kReplayMaxClockStep),
      Step::reset(),
      Step::mem_write(0x1000, 0x78563412, 4),
      Step::mem_write(0xfffffffffffffff8ull, 0x0102030405060708ull, 8),
      Step::mem_write(0x7, 0xab, 1),
  };
  for (const Step& s : steps) {
    const std::string line = format_step(s);
    INFO(line);
    const ReplayFile f = parse_replay(line + "\n", "one.replay");
    REQUIRE(f.program.size() == 1);
    CHECK(same_step(f.program[0], s));
    CHECK(format_step(f.program[0]) == line);
  }
}

TEST_CASE("the qtest spelling of each step is what format_step prints", "[replay]") {
  CHECK(format_step(Step::write(0xc, 0x5)) == "writel 0xc 0x5");
  CHECK(format_step(pinned(Step::read(0x8), 3)) == "readl 0x8 expect 0x3");
  CHECK(format_step(Step::mem_write(0x1000, 0x78563412, 4)) == "write 0x1000 4 0x12345678");
  const ReplayFile f = parse_replay("write 0x1000 4 0x12345678\n", "m.replay");
  REQUIRE(f.program.size() == 1);
  CHECK(f.program[0].kind == StepKind::mem_write);
  CHECK(f.program[0].data == 0x78563412);  // bytes in memory order, little-endian value
}

TEST_CASE("generated programs of every strategy survive format_replay and parse_replay unchanged", "[replay]") {
  for (const DeviceBinding& d : test_catalog().devices()) {
    for (uint64_t seed : {1, 2, 3}) {
      const Program p = generate_program("all", d, seed, 3000);
      const ReplayFile f = parse_replay(format_replay(d.name, p, {"a note"}), "gen.replay");
      INFO(d.name << " seed " << seed);
      CHECK(f.device == d.name);
      check_same_program(p, f.program);
    }
  }
}

TEST_CASE("a replay file's header names the device and its comments are kept as notes", "[replay]") {
  const std::string text =
      "\n"
      "# tandem replay v1 device=seldev.trust_select\n"
      "# reproduces: write_error at UNIT_SELECT\n"
      "\n"
      "  writel 0xC 4   # trailing comment\n"
      "\treadl\t8\texpect\t0X0\r\n"
      "clock_step 10\n"
      "reset";  // no final newline
  const ReplayFile f = parse_replay(text, "h.replay");
  CHECK(f.device == "seldev.trust_select");
  CHECK(f.header_line == 2);
  CHECK(f.notes == std::vector<std::string>{"reproduces: write_error at UNIT_SELECT"});
  REQUIRE(f.program.size() == 4);
  CHECK(same_step(f.program[0], Step::write(0xc, 4)));
  CHECK(same_step(f.program[1], pinned(Step::read(8), 0)));
  CHECK(same_step(f.program[2], Step::idle(10)));
  CHECK(same_step(f.program[3], Step::reset()));
  CHECK(f.lines == std::vector<size_t>{5, 6, 7, 8});
}

TEST_CASE("without a header the device comes from --device, and without either it is an error", "[replay]") {
  const ReplayFile f = parse_replay("readl 0x0\n", "nohdr.replay");
  CHECK(f.device.empty());
  CHECK(replay_device(f, "seldev") == "seldev");
  CHECK_THROWS_WITH(replay_device(f, ""), Catch::StartsWith("nohdr.replay:1: no device"));
  const ReplayFile g = parse_replay("# tandem replay v1 device=seldev\nreadl 0x0\n", "hdr.replay");
  CHECK(replay_device(g, "") == "seldev");
  CHECK(replay_device(g, "seldev.wrong_reset") == "seldev.wrong_reset");
}

TEST_CASE("an unknown device in the header is reported at the header's line", "[replay]") {
  const ReplayFile f = parse_replay("\n# tandem replay v1 device=nosuch\nreadl 0x0\n", "u.replay");
  CHECK_THROWS_WITH(replay_binding(f, "", test_catalog()), Catch::StartsWith("u.replay:2: unknown device 'nosuch'"));
  CHECK(replay_binding(f, "seldev", test_catalog()).name == "seldev");
}

TEST_CASE("each malformed line is an error that names the file, the line and the problem", "[replay]") {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"readl 0x0\nfrobnicate 0x4\n", "t.replay:2: unknown command 'frobnicate'"},
      {"READL 0x0\n", "t.replay:1: unknown command 'READL'"},
      {"readx 0x0\n", "t.replay:1: unknown command 'readx'"},
      {"writel 0x4 zz\n", "t.replay:1: writel: bad number 'zz' for VALUE"},
      {"writel 0xg 1\n", "t.replay:1: writel: bad number '0xg' for ADDR"},
      {"writel 0x 1\n", "t.replay:1: writel: bad number '0x' for ADDR"},
      {"writel -1 1\n", "t.replay:1: writel: bad number '-1' for ADDR"},
      {"writel 0x10000000000000000 1\n", "t.replay:1: writel: '0x10000000000000000' for ADDR does not fit in 64 bits"},
      {"writel 18446744073709551616 1\n",
       "t.replay:1: writel: '18446744073709551616' for ADDR does not fit in 64 bits"},
      {"writeb 0x0 0x100\n", "t.replay:1: writeb: value 0x100 does not fit in 1 byte"},
      {"writew 0x0 65536\n", "t.replay:1: writew: value 0x10000 does not fit in 2 bytes"},
      {"writel 0x0 0x100000000\n", "t.replay:1: writel: value 0x100000000 does not fit in 4 bytes"},
      {"readb 0x0 expect 0x1ff\n", "t.replay:1: readb: value 0x1ff does not fit in 1 byte"},
      {"write 0x0 3 0x000000\n", "t.replay:1: write: SIZE must be 1, 2, 4 or 8, not 3"},
      {"write 0x0 16 0x00\n", "t.replay:1: write: SIZE must be 1, 2, 4 or 8, not 16"},
      {"write 0x0 4 0x1234\n", "t.replay:1: write: SIZE is 4 but the data has 4 hex digits (expected 8)"},
      {"write 0x0 2 1234\n", "t.replay:1: write: bad data '1234'"},
      {"write 0x0 2 0x12zz\n", "t.replay:1: write: bad data '0x12zz' (hex digits only after 0x)"},
      {"readl\n", "t.replay:1: readl: missing ADDR"},
      {"writel 0x4\n", "t.replay:1: writel: missing VALUE"},
      {"write\n", "t.replay:1: write: missing ADDR"},
      {"write 0x0 4\n", "t.replay:1: write: missing 0xBYTES"},
      {"clock_step\n", "t.replay:1: clock_step: missing N (cycles)"},
      {"readl 0x8 expect\n", "t.replay:1: readl: missing expect VALUE"},
      {"readl 0x0 0x1\n", "t.replay:1: unexpected '0x1' after readl ADDR"},
      {"writel 0x0 0x1 0x2\n", "t.replay:1: unexpected '0x2' after the step (trailing junk)"},
      {"reset now\n", "t.replay:1: unexpected 'now' after the step (trailing junk)"},
      {"readl 0x0 expect 0x1 more\n", "t.replay:1: unexpected 'more' after the step (trailing junk)"},
      {"clock_step 1000000000001\n",
       "t.replay:1: clock_step 1000000000001 is more than the limit of 1000000000000 cycles"},
      {"readq 0xfffffffffffffffc\n",
       "t.replay:1: readq: an access of 8 bytes at 0xfffffffffffffffc wraps past the end"},
      {"readl 0x0\x01\n", "t.replay:1: unexpected character \\x01 in column 10"},
      {"readl 0x0\xff\n", "t.replay:1: unexpected character \\xff in column 10"},
      {"\n\n" + std::string(kReplayMaxLine + 1, ' ') + "\n", "t.replay:3: line is longer than 4096 characters"},
      {"# tandem replay v2 device=seldev\n", "t.replay:1: replay header: unsupported format version 'v2'"},
      {"# tandem replay\n", "t.replay:1: replay header: unsupported format version '(none)'"},
      {"# tandem replay v1\n", "t.replay:1: replay header: missing device=NAME"},
      {"# tandem replay v1 device=\n", "t.replay:1: replay header: device= has no name"},
      {"# tandem replay v1 device=a/b\n", "t.replay:1: replay header: bad device name 'a/b'"},
      {"# tandem replay v1 device=a colour=red\n", "t.replay:1: replay header: unknown field 'colour=red'"},
      {"# tandem replay v1 device=a device=b\n", "t.replay:1: replay header: device= given twice"},
      {"# tandem replay v1 device=a\n# tandem replay v1 device=b\n",
       "t.replay:2: a second replay header (the first is on line 1)"},
      {"reset\n# tandem replay v1 device=a\n", "t.replay:2: the replay header must come before the first step"},
  };
  for (const Case& c : cases) {
    INFO("input: " << c.text.substr(0, 80));
    CHECK_THAT(parse_error(c.text), Catch::StartsWith(c.message));
  }
}

TEST_CASE("load_replay names an unreadable path, and write_replay an unwritable one", "[replay]") {
  const TempDir tmp("io");
  const std::string& dir = tmp.path;
  CHECK_THROWS_WITH(load_replay(dir + "/missing.replay"),
                    dir + "/missing.replay: cannot read: No such file or directory");
  CHECK_THROWS_WITH(load_replay(dir), dir + ": cannot read: is a directory");
  CHECK_THROWS_WITH(write_replay(dir + "/no/such/dir/x.replay", "seldev", {Step::reset()}, {}),
                    dir + "/no/such/dir/x.replay: cannot write: No such file or directory");
  {
    std::ofstream bad(dir + "/bad.replay");
    bad << "# tandem replay v1 device=seldev\nreadl 0x0\nwritel 0x4\n";
  }
  CHECK_THROWS_WITH(load_replay(dir + "/bad.replay"), dir + "/bad.replay:3: writel: missing VALUE");
}

TEST_CASE("write_replay writes a file that load_replay reads back to the same device, notes and steps", "[replay]") {
  const TempDir tmp("write");
  const std::string path = tmp.path + "/x.replay";
  const Program p = {Step::write(0xc, 4), pinned(Step::read(0x8), 0x10000), Step::idle(7), Step::reset(),
                     Step::mem_write(0x40, 0xcafe, 2)};
  const std::vector<std::string> notes = {"reproduces: something", "tandem replay v9 is not a header", "two\nlines",
                                          std::string(5000, 'n')};
  write_replay(path, "seldev.irq_late", p, notes);
  const ReplayFile f = load_replay(path);
  CHECK(f.source == path);
  CHECK(f.device == "seldev.irq_late");
  CHECK(f.header_line == 1);
  REQUIRE(f.notes.size() == 4);
  CHECK(f.notes[0] == "reproduces: something");
  CHECK(f.notes[1] == "note: tandem replay v9 is not a header");
  CHECK(f.notes[2] == "two lines");
  CHECK(f.notes[3].size() == kReplayMaxLine - 2);
  check_same_program(p, f.program);
}

TEST_CASE("the parser fuzz entry point accepts or rejects every mutated input without crashing", "[replay][fuzz]") {
  // The same entry point libFuzzer drives (fuzz/replay_parser_fuzz.cpp), here over a
  // deterministic corpus: valid files, then byte flips, insertions, deletions, splices.
  std::vector<std::string> seeds = {
      "# tandem replay v1 device=seldev\nwritel 0xc 0x4\n",
      "# tandem replay v1 device=seldev\n# note\nreadl 0x8 expect 0x3\nclock_step 12\nreset\n",
      "write 0x1000 4 0x12345678\nreadb 0x1\nwriteq 0x8 0xffffffffffffffff\n",
      "readw 65535 expect 0xffff # c\r\n\tclock_step 1000000000000\n",
  };
  const DeviceBinding& seldev = test_catalog().get("seldev");
  seeds.push_back(format_replay("seldev", generate_program("all", seldev, 7, 200), {"generated"}));
  const std::vector<std::string> tokens = {"readl",
                                           "writeb",
                                           "write",
                                           "expect",
                                           "clock_step",
                                           "reset",
                                           "0x",
                                           "0xffffffffffffffff",
                                           "99999999999999999999",
                                           "#",
                                           "\n",
                                           " ",
                                           "\t",
                                           "\r",
                                           std::string(1, '\0'),
                                           "# tandem replay v1 device=",
                                           "device=x",
                                           "18446744073709551615",
                                           "-1",
                                           "0x1g"};
  Rng rng(42);
  uint64_t inputs = 0, parsed = 0;
  auto feed = [&](const std::string& s) {
    ++inputs;
    try {
      (void)parse_replay(s, "f");
      ++parsed;
    } catch (const Error&) {
    }
    REQUIRE_NOTHROW(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  };
  for (const std::string& s : seeds) feed(s);
  for (int round = 0; round < 20000; ++round) {
    std::string s = seeds[rng.below(seeds.size())];
    const unsigned edits = 1 + static_cast<unsigned>(rng.below(4));
    for (unsigned e = 0; e < edits; ++e) {
      const size_t pos = s.empty() ? 0 : rng.below(s.size() + 1);
      switch (rng.below(5)) {
        case 0:
          if (!s.empty() && pos < s.size()) s[pos] = static_cast<char>(rng.below(256));
          break;
        case 1: s.insert(pos, tokens[rng.below(tokens.size())]); break;
        case 2: s.erase(pos, rng.below(8)); break;
        case 3: s.insert(pos, std::string(1, static_cast<char>(rng.below(256)))); break;
        default: {
          const std::string& other = seeds[rng.below(seeds.size())];
          const size_t from = rng.below(other.size());
          s.insert(pos, other.substr(from, rng.below(64)));
        }
      }
    }
    feed(s);
  }
  INFO(parsed << " of " << inputs << " inputs parsed");
  CHECK(inputs == 20005);
  CHECK(parsed > 100);     // the corpus reaches the round trip, not just the error paths
  CHECK(parsed < inputs);  // and the error paths
}

TEST_CASE("a step beyond the device's address window is bad input at its line", "[replay]") {
  const DeviceBinding& seldev = test_catalog().get("seldev");
  REQUIRE(seldev.addr_limit() > 0x2c);
  const uint64_t limit = seldev.addr_limit();
  const std::string text = fmt::format("# tandem replay v1 device=seldev\nreadl 0x8\nwritel {:#x} 0x1\n", limit);
  const ReplayFile f = parse_replay(text, "w.replay");
  CHECK_THROWS_WITH(
      check_replay_steps(f, seldev),
      Catch::StartsWith(fmt::format("w.replay:3: writel {:#x} 0x1: beyond the address window of seldev", limit)));
  // The last word of the window is fine; a word that straddles its end is not.
  CHECK_NOTHROW(check_replay_steps(parse_replay(fmt::format("readl {:#x}\n", limit - 4), "ok.replay"), seldev));
  CHECK_THROWS_WITH(check_replay_steps(parse_replay(fmt::format("readl {:#x}\n", limit - 2), "s.replay"), seldev),
                    Catch::StartsWith("s.replay:1: "));
}
