// The `edges` strategy: accesses land on, one edge before and one edge after the edges the
// device's own model says its outputs change at; bus-master address operands sit at the 2^32
// and 2^64 boundaries; programs are a function of the seed; and every seeded same-edge,
// boundary and trigger-level bug is caught by it.
#include <map>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include <tandem/campaign.h>
#include <tandem/model_executor.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

// Where each access that follows an idle gap lands relative to the event edge the model
// announced before the gap (-1, 0, +1; other offsets are not counted), and the registers
// accessed at one of those three. Run on a fresh model, as the strategy's private one ran.
struct Landings {
  std::map<int, uint64_t> at_offset;
  std::set<uint64_t> near_edge_offsets;
};

Landings landings(const DeviceBinding& b, const Program& p) {
  Landings out;
  ModelExecutor model(b);
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    const bool aimed =
        p[i].kind == StepKind::idle && (p[i + 1].kind == StepKind::read || p[i + 1].kind == StepKind::write);
    model.model().advance(model.now());
    const Cycle edge = model.model().next_event(model.now());
    model.execute(p[i]);
    if (!aimed || edge == kNever) continue;
    model.execute(p[++i]);
    const Cycle landed = model.now() - b.trailing_edges;
    const int64_t offset = static_cast<int64_t>(landed) - static_cast<int64_t>(edge);
    if (offset >= -1 && offset <= 1) ++out.at_offset[static_cast<int>(offset)];
    if (offset >= -1 && offset <= 1) out.near_edge_offsets.insert(p[i].addr);
  }
  return out;
}

bool diverges_under_edges(const std::string& mutant, uint64_t seed, uint64_t steps) {
  const RunRecord r = run_job(test_catalog().get(mutant), Job{mutant, "edges", seed, steps});
  return r.divergence.has_value();
}

}  // namespace

TEST_CASE("edges is a strategy of its own and part of all", "[edges]") {
  const std::vector<std::string> names = strategy_names();
  CHECK(std::find(names.begin(), names.end(), "edges") != names.end());
  // `all` keeps its first 8000 steps and opens what follows with edges: its steps 8000..9499
  // are edges' own program from the same seed only when edges observed the prefix, so the
  // opening is checked by the catch of a bug only edges reaches (mutants_test).
  CHECK_NOTHROW(make_stimulus("edges", test_catalog().get("seldev"), 1));
}

TEST_CASE("edges lands accesses on, one before and one after the model's event edges", "[edges]") {
  for (const char* device : {"seldev", "timer"}) {
    const DeviceBinding& b = test_catalog().get(device);
    Landings l = landings(b, generate_program("edges", b, 1, 8000));
    INFO(device);
    CHECK(l.at_offset[-1] >= 20);
    CHECK(l.at_offset[0] >= 20);
    CHECK(l.at_offset[1] >= 20);
    // Every register is accessed next to an edge.
    for (const Register& r : b.regmap.registers) {
      INFO(r.name);
      CHECK(l.near_edge_offsets.count(r.offset) == 1);
    }
  }
}

TEST_CASE("edges programs are a function of the seed", "[edges]") {
  const DeviceBinding& b = test_catalog().get("uart16550");
  const Program a = generate_program("edges", b, 3, 2000);
  const Program again = generate_program("edges", b, 3, 2000);
  const Program other = generate_program("edges", b, 4, 2000);
  std::string ta, tagain, tother;
  for (const Step& s : a) ta += format_step(s) + "\n";
  for (const Step& s : again) tagain += format_step(s) + "\n";
  for (const Step& s : other) tother += format_step(s) + "\n";
  CHECK(ta == tagain);
  CHECK(ta != tother);
}

TEST_CASE("edges places DMA address operands at the 2^32 and 2^64 boundaries", "[edges]") {
  const DeviceBinding& b = test_catalog().get("dma");
  const Program p = generate_program("edges", b, 1, 5000);
  // An operand (SRC, DST) is followed in its setup by the descriptor's length word.
  uint64_t ends_at_4g = 0, straddles_4g = 0, ends_at_top = 0;
  const uint64_t four_g = uint64_t(1) << 32;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].kind != StepKind::mem_write || p[i].size != 8) continue;
    uint64_t len = 0;
    for (size_t j = i + 1; j < p.size() && j < i + 4 && len == 0; ++j)
      if (p[j].kind == StepKind::mem_write && (p[j].data & 0xffffffffu) < 0x10000 && (p[j].data >> 32) < 0x100)
        len = p[j].data & 0xffffffffu;
    if (len == 0) continue;
    const uint64_t v = p[i].data;
    if (v + len == four_g) ++ends_at_4g;
    if (v < four_g && v + len > four_g) ++straddles_4g;
    if (v + len == 0) ++ends_at_top;  // the range ends exactly at 2^64
  }
  CHECK(ends_at_4g > 0);
  CHECK(straddles_4g > 0);
  CHECK(ends_at_top > 0);
}

TEST_CASE("every same-edge, boundary and trigger-level mutant is caught under edges", "[edges][mutants]") {
  // A fixed seed each (docs/campaign-budget.md: the rates over seeds 1-6).
  const std::pair<const char*, uint64_t> cases[] = {{"seldev.done_clear_wins", 1},
                                                    {"seldev.idle_on_done_edge", 1},
                                                    {"timer.clear_beats_match", 1},
                                                    {"timer.compare_at_own_edge", 1},
                                                    {"dma.wraps_32", 3},
                                                    {"dma.src_top_exclusive", 2},
                                                    {"uart16550.trigger_off_by_one", 2},
                                                    {"uart16550.lsr_read_sees_own_edge", 1}};
  for (const auto& [mutant, seed] : cases) {
    INFO(mutant << " seed " << seed);
    CHECK(diverges_under_edges(mutant, seed, 3000));
  }
}

TEST_CASE("the correct devices do not diverge under edges", "[edges]") {
  for (const char* device : {"seldev", "timer", "dma", "uart16550"}) {
    const RunRecord r = run_job(test_catalog().get(device), Job{device, "edges", 1, 3000});
    INFO(device);
    CHECK(r.clean());
  }
}
