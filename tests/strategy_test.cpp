// The stimulus strategies hostile, ordering and all, and the fuzz input decoder: what each
// strategy generates, that every correct bundled device stays at zero divergences under every
// strategy, and that every byte string decodes to a valid program.
#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include <tandem/campaign.h>
#include <tandem/fuzz_decode.h>
#include <tandem/program_run.h>
#include <tandem/shrink.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

uint64_t fnv1a(const Program& p) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const Step& s : p)
    for (char c : format_step(s) + "\n") h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

bool mapped(const DeviceBinding& b, uint64_t addr) {
  for (const Register& r : b.regmap.registers)
    if (addr >= r.offset && addr < r.offset + std::max(1u, r.width / 8)) return true;
  return false;
}

// Every step is one the device can take: sizes 1/2/4/8, inside the address window, gaps >= 1.
void require_valid(const Program& p, const DeviceBinding& b) {
  for (const Step& s : p) {
    if (s.kind == StepKind::read || s.kind == StepKind::write || s.kind == StepKind::mem_write) {
      REQUIRE((s.size == 1 || s.size == 2 || s.size == 4 || s.size == 8));
    }
    if (s.kind == StepKind::read || s.kind == StepKind::write) REQUIRE(s.addr + s.size <= b.addr_limit());
    if (s.kind == StepKind::idle) REQUIRE(s.data >= 1);
  }
}

std::vector<std::string> bundled_names() {
  std::vector<std::string> out;
  for (const DeviceBinding& d : bundled_devices()) out.push_back(d.name);
  return out;
}

}  // namespace

TEST_CASE("the strategies are random, hostile, ordering and race, and all mixes them", "[strategy]") {
  const std::vector<std::string> names = strategy_names();
  for (const char* n : {"random", "hostile", "ordering", "race"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  CHECK_THROWS_WITH(
      make_stimulus("nosuch", test_catalog().get("seldev"), 1),
      Catch::Contains("unknown strategy 'nosuch'") && Catch::Contains("hostile") && Catch::Contains("ordering"));
}

TEST_CASE("random and race streams are unchanged by the new strategies", "[strategy]") {
  // Fingerprints of the first 5000 steps, as generated before hostile and ordering existed.
  CHECK(fnv1a(generate_program("random", test_catalog().get("seldev"), 1, 5000)) == 0x23e7f0d85591050aULL);
  CHECK(fnv1a(generate_program("random", test_catalog().get("timer"), 2, 5000)) == 0xa9adaf833a01788dULL);
  CHECK(fnv1a(generate_program("random", test_catalog().get("uart16550"), 3, 5000)) == 0xd2ad41433054475eULL);
  CHECK(fnv1a(generate_program("random", test_catalog().get("dma"), 1, 5000)) == 0xeaf6f5e0adc6652fULL);
  CHECK(fnv1a(generate_program("race", test_catalog().get("dma"), 1, 5000)) == 0x4421058cd0cc2390ULL);
}

TEST_CASE("hostile traffic hits selector boundaries, unmapped offsets, odd sizes and reserved bits", "[strategy]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const Register* sel = b.regmap.by_name("UNIT_SELECT");
  REQUIRE(sel);
  const Program p = generate_program("hostile", b, 1, 20000);
  require_valid(p, b);
  std::set<uint64_t> select_values;
  uint64_t unmapped = 0, odd = 0, wide = 0, reserved = 0;
  for (const Step& s : p) {
    if (s.kind != StepKind::read && s.kind != StepKind::write) continue;
    if (!mapped(b, s.addr)) ++unmapped;
    if (s.addr % 4 != 0 || s.size < 4) ++odd;
    if (s.size == 8) ++wide;
    if (s.kind == StepKind::write && s.addr == sel->offset && s.size == 4) select_values.insert(s.data);
    if (s.kind == StepKind::write && s.size == 4 && s.addr % 4 == 0) {
      for (const Register& r : b.regmap.registers)
        if (r.offset == s.addr && (s.data & ~r.write_mask & 0xffffffffu) != 0) ++reserved;
    }
  }
  for (uint64_t v : {0ull, 3ull, 4ull, 5ull, 8ull, 0xffffffffull}) {
    INFO("UNIT_SELECT value " << v);
    CHECK(select_values.count(v) == 1);
  }
  CHECK(unmapped > 500);
  CHECK(odd > 1000);
  CHECK(wide > 100);
  CHECK(reserved > 500);
}

TEST_CASE("ordering traffic replays driver sequences with steps dropped, repeated and reset mid-way", "[strategy]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const Program p = generate_program("ordering", b, 1, 20000);
  require_valid(p, b);
  uint64_t resets = 0, starts = 0, busy_writes = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    resets += p[i].kind == StepKind::reset;
    // U_CMD (0x2c) START followed within two steps by another window write: a write while busy.
    if (p[i].kind == StepKind::write && p[i].addr == 0x2c && (p[i].data & 1)) {
      ++starts;
      for (size_t j = i + 1; j < std::min(p.size(), i + 3); ++j)
        if (p[j].kind == StepKind::write && p[j].addr >= 0x20 && p[j].addr <= 0x2c) ++busy_writes;
    }
  }
  CHECK(resets > 50);
  CHECK(starts > 500);
  CHECK(busy_writes > 100);
  CHECK_THROWS_WITH(make_stimulus("ordering", binding_apb_test32(), 1), Catch::Contains("sequences"));
}

TEST_CASE("all mixes random, hostile and ordering stretches", "[strategy]") {
  for (const std::string& name : bundled_names()) {
    const DeviceBinding& b = test_catalog().get(name);
    const Program all = generate_program("all", b, 1, 20000);
    require_valid(all, b);
    uint64_t unmapped = 0;
    for (const Step& s : all)
      if ((s.kind == StepKind::read || s.kind == StepKind::write) && !mapped(b, s.addr)) ++unmapped;
    INFO(name);
    CHECK(unmapped > 50);  // hostile stretches are in
    CHECK(fnv1a(all) != fnv1a(generate_program("random", b, 1, 20000)));
    CHECK(fnv1a(all) == fnv1a(generate_program("all", b, 1, 20000)));  // deterministic
  }
}

// 10^5 lockstep steps per bundled device and strategy, zero divergences: hostile and
// out-of-order traffic is defined behaviour of the hardware, and the models match it.
TEST_CASE("every correct bundled device runs clean under every strategy", "[strategy][soak]") {
  for (const std::string& name : bundled_names()) {
    const DeviceBinding& b = test_catalog().get(name);
    for (const std::string strategy : {"hostile", "ordering", "all", "random", "race"}) {
      if (strategy == "race" && !b.hints.has_dma()) continue;
      SECTION(name + " " + strategy) {
        const RunRecord r = run_job(b, Job{name, strategy, 1, 100000});
        INFO(name << " " << strategy);
        if (r.divergence) INFO("diverged at step " << r.divergence->step << " register " << r.divergence->reg);
        CHECK(r.clean());
        CHECK(r.stats.steps == 100000);
      }
    }
  }
}

TEST_CASE("run shards the new strategies like the old ones", "[strategy]") {
  std::vector<Job> jobs;
  for (const char* s : {"hostile", "ordering", "all"})
    for (uint64_t seed : {1, 2}) jobs.push_back({"seldev", s, seed, 200});
  const std::vector<Job> a = shard(jobs, 1, 2), b = shard(jobs, 2, 2);
  CHECK(a.size() + b.size() == jobs.size());
  for (const Job& j : a) CHECK(run_job(test_catalog().get("seldev"), j).clean());
}

// ------------------------------------------------------------------------- the fuzz decoder

TEST_CASE("every byte string decodes to a valid in-window program, deterministically", "[fuzz-decode]") {
  Rng rng(42);
  for (const DeviceBinding& b : bundled_devices()) {
    for (int i = 0; i < 2000; ++i) {
      std::string bytes(rng.below(400), '\0');
      for (char& c : bytes) c = static_cast<char>(rng.next());
      if (rng.chance(30)) bytes.insert(rng.below(bytes.size() + 1), kFuzzSeparator);
      const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
      Program p, q;
      REQUIRE_NOTHROW(p = decode_fuzz_input(data, bytes.size(), b));
      q = decode_fuzz_input(data, bytes.size(), b);
      require_valid(p, b);
      REQUIRE(fnv1a(p) == fnv1a(q));
    }
    // Edge inputs: nothing, a lone separator, all ones, one byte.
    const std::string ff(64, '\xff');
    CHECK(decode_fuzz_input(nullptr, 0, b).empty());
    CHECK(decode_fuzz_input(reinterpret_cast<const uint8_t*>("FUZZ"), 4, b).empty());
    require_valid(decode_fuzz_input(reinterpret_cast<const uint8_t*>(ff.data()), ff.size(), b), b);
    CHECK(decode_fuzz_input(reinterpret_cast<const uint8_t*>("\x01"), 1, b).size() == 1);
  }
}

TEST_CASE("the decoder caps the program length", "[fuzz-decode]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const std::string big(100000, '\x01');
  FuzzDecodeOptions o;
  o.max_steps = 100;
  CHECK(decode_fuzz_input(reinterpret_cast<const uint8_t*>(big.data()), big.size(), b, o).size() == 100);
  CHECK(decode_fuzz_input(reinterpret_cast<const uint8_t*>(big.data()), big.size(), b).size() == 4096);
}

TEST_CASE("generated programs encode to fuzz inputs that decode back to them", "[fuzz-decode]") {
  for (const std::string& name : {std::string("seldev"), std::string("timer"), std::string("uart16550")}) {
    const DeviceBinding& b = test_catalog().get(name);
    const Program p = generate_program("random", b, 1, 2000);
    Program expressible;
    for (const Step& s : p)
      if (s.kind != StepKind::mem_write &&
          !(s.kind == StepKind::idle && s.data > std::max<uint64_t>(64, 4 * b.hints.max_idle)) &&
          !(s.kind == StepKind::write && s.data > 0xffffffffu))
        expressible.push_back(s);
    const std::string bytes = encode_fuzz_input(expressible, b);
    const Program back = decode_fuzz_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), b);
    INFO(name);
    REQUIRE(back.size() == expressible.size());
    for (size_t i = 0; i < back.size(); ++i) {
      INFO("step " << i << ": " << format_step(expressible[i]) << " vs " << format_step(back[i]));
      CHECK(format_step(back[i]) == format_step(expressible[i]));
    }
  }
}

TEST_CASE("a fuzz input with an out-of-range select diverges on the trusting mutant only", "[fuzz-decode]") {
  // write_select of value 4 to UNIT_SELECT: one record.
  const uint8_t rec[kFuzzRecordBytes] = {static_cast<uint8_t>(FuzzOp::write_select), 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0};
  const Program p = decode_fuzz_input(rec, sizeof rec, test_catalog().get("seldev.trust_select"));
  REQUIRE(p.size() == 1);
  const ProgramRun bad = run_program(test_catalog().get("seldev.trust_select"), p);
  REQUIRE(bad.divergence);
  CHECK(bad.divergence->reg == "UNIT_SELECT");
  CHECK_FALSE(run_program(test_catalog().get("seldev"), p).divergence);
}

namespace {

// Adjacent idle steps as one (the encoder splits a gap longer than an idle command holds), and
// an 8-byte guest-memory write of a value wider than 32 bits as two 4-byte ones (so does the
// encoder: a command carries 32 bits of value).
Program merge_idles(const Program& p) {
  Program out;
  for (const Step& s : p) {
    if (s.kind == StepKind::idle && !out.empty() && out.back().kind == StepKind::idle) {
      out.back().data += s.data;
    } else if (s.kind == StepKind::mem_write && s.size == 8 && s.data > 0xffffffffu) {
      out.push_back(Step::mem_write(s.addr, s.data & 0xffffffffu, 4));
      out.push_back(Step::mem_write(s.addr + 4, s.data >> 32, 4));
    } else {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every driver-manual sequence becomes a seed input that decodes back to it", "[fuzz-decode]") {
  for (const DeviceBinding& b : bundled_devices()) {
    std::vector<const SequenceHint*> hints;
    for (const SequenceHint& s : b.hints.sequences) hints.push_back(&s);
    for (const SequenceHint& s : b.hints.dma.setups) hints.push_back(&s);
    const std::vector<FuzzSeed> seeds = fuzz_seeds(b);
    INFO(b.name);
    REQUIRE(seeds.size() == hints.size());
    for (size_t i = 0; i < seeds.size(); ++i) {
      INFO(seeds[i].name);
      CHECK(seeds[i].name.rfind("seq-", 0) == 0);
      const auto* data = reinterpret_cast<const uint8_t*>(seeds[i].bytes.data());
      const Program back = merge_idles(decode_fuzz_input(data, seeds[i].bytes.size(), b));
      const Program want = merge_idles(hints[i]->steps);
      REQUIRE(back.size() == want.size());
      for (size_t k = 0; k < back.size(); ++k) {
        INFO("step " << k);
        CHECK(format_step(back[k]) == format_step(want[k]));
      }
      CHECK_FALSE(run_program(b, back).divergence);
    }
  }
}

TEST_CASE("the register-map dictionary: separator-led single commands", "[fuzz-decode]") {
  for (const DeviceBinding& b : bundled_devices()) {
    const std::vector<std::string> dict = fuzz_dictionary(b);
    INFO(b.name);
    REQUIRE(dict.size() > b.regmap.registers.size());
    CHECK(dict[0] == kFuzzSeparator);
    std::set<std::string> unique(dict.begin(), dict.end());
    CHECK(unique.size() == dict.size());
    for (size_t i = 1; i < dict.size(); ++i) {
      REQUIRE(dict[i].size() == 4 + kFuzzRecordBytes);
      CHECK(dict[i].compare(0, 4, kFuzzSeparator) == 0);
      const Program p = decode_fuzz_input(reinterpret_cast<const uint8_t*>(dict[i].data()), dict[i].size(), b);
      CHECK(p.size() == 1);
      require_valid(p, b);
    }
    // libFuzzer's -dict= format: one double-quoted string a line, non-alphanumerics as \xNN.
    const std::string text = dictionary_text(dict);
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(dict.size()));
    CHECK(text.rfind("\"FUZZ\"\n", 0) == 0);
  }
  // A field's all-ones write is in it: LCR.DLAB (bit 7) of the UART as a one-byte write.
  const DeviceBinding& u = test_catalog().get("uart16550");
  const Register* lcr = u.regmap.by_name("LCR");
  REQUIRE(lcr != nullptr);
  const size_t idx = static_cast<size_t>(lcr - u.regmap.registers.data());
  const std::string want =
      std::string(kFuzzSeparator) +
      std::string{static_cast<char>(FuzzOp::write_reg), static_cast<char>(idx), 0, 0, '\x80', 0, 0, 0, 0, 0, 0, 0};
  const std::vector<std::string> dict = fuzz_dictionary(u);
  CHECK(std::find(dict.begin(), dict.end(), want) != dict.end());
}

TEST_CASE("guest-memory writes inside the DMA regions encode", "[fuzz-decode]") {
  const DeviceBinding& b = test_catalog().get("dma");
  REQUIRE(b.hints.has_dma());
  const DmaHint& d = b.hints.dma;
  Program p = {Step::mem_write(d.desc_base, 0x11223344, 4), Step::mem_write(d.desc_base + d.desc_size - 4, 7, 4),
               Step::idle(100000)};
  if (d.buffer_size >= 2) p.push_back(Step::mem_write(d.buffer_base + 2, 0xbeef, 2));
  const std::string bytes = encode_fuzz_input(p, b);
  const Program back = merge_idles(decode_fuzz_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), b));
  REQUIRE(back.size() == p.size());
  for (size_t k = 0; k < p.size(); ++k) CHECK(format_step(back[k]) == format_step(p[k]));
}
