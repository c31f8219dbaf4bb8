// Built-in register tests (regtest.h): programs generated from the register map, run on the
// RTL and the model in lockstep, every read checked against the map's prediction.
#include "tandem/regtest.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/lockstep.h"

namespace tandem {

const char* side_name(RegtestSide s) {
  switch (s) {
    case RegtestSide::rtl: return "RTL";
    case RegtestSide::model: return "model";
    case RegtestSide::both: return "both";
    case RegtestSide::rtl_vs_model: return "RTL vs model";
  }
  return "?";
}

namespace {

uint64_t width_mask(unsigned w) { return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1; }

// splitmix64: a small deterministic generator, the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : m_state(seed) {}
  uint64_t next() {
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t m_state;
};

AccessPolicy policy_of(Access a) {
  Field f;
  f.access = a;
  return policy_of(f);
}

// After a write, a field of these policies holds a value the written data alone decides.
bool write_determines(AccessPolicy p) {
  switch (p) {
    case AccessPolicy::rw:
    case AccessPolicy::wo:
    case AccessPolicy::wrc:
    case AccessPolicy::wrs:
    case AccessPolicy::wc:
    case AccessPolicy::ws:
    case AccessPolicy::wsrc:
    case AccessPolicy::wcrs: return true;
    default: return false;
  }
}

bool read_side_effect(AccessPolicy p) { return triple_of(p).onread != OnRead::none; }

// The data that leaves a field as it is, where one exists.
uint64_t neutral_data(AccessPolicy p, uint64_t value, unsigned width) {
  switch (p) {
    case AccessPolicy::w1c:
    case AccessPolicy::w1s:
    case AccessPolicy::w1t:
    case AccessPolicy::w1src:
    case AccessPolicy::w1crs:
    case AccessPolicy::ro:
    case AccessPolicy::rc:
    case AccessPolicy::rs: return 0;
    case AccessPolicy::w0c:
    case AccessPolicy::w0s:
    case AccessPolicy::w0t:
    case AccessPolicy::w0src:
    case AccessPolicy::w0crs: return width_mask(width);
    default: return value;
  }
}

struct FieldModel {
  std::string name;
  unsigned lsb = 0, width = 1;
  AccessPolicy policy = AccessPolicy::rw;
  uint64_t reset = 0;
  bool reset_known = true;
  bool is_volatile = false, action = false;
  uint32_t skip = 0;
  uint64_t nocompare = 0;  // field-relative bits never compared against the map
  FieldState st;
  bool known = true;

  uint64_t wmask() const { return width_mask(width); }
  uint64_t mask() const { return wmask() << lsb; }
  uint64_t quiet() const { return reset_known ? reset : 0; }
  // Bits a test writes: writable, not an action, not skipped. A volatile field is written too,
  // but its reads are compared only RTL against model (the map cannot predict them).
  bool testable(uint32_t test) const { return writable(policy) && !action && !(skip & test); }
};

struct RegModel {
  const Register* reg = nullptr;
  std::vector<FieldModel> fields;
  uint64_t reserved = 0;  // bits no field covers: read 0, writes ignored
  unsigned bytes = 4;
  std::optional<uint64_t> selector;  // legal count of a selector register

  uint64_t regmask() const { return width_mask(reg->width); }
  bool skips(uint32_t test) const { return (reg->skip_tests & test) != 0; }
  bool any_testable(uint32_t test) const {
    if (skips(test)) return false;
    for (const FieldModel& f : fields)
      if (f.testable(test)) return true;
    return false;
  }
  const FieldModel* field_at(uint64_t bits) const {
    for (const FieldModel& f : fields)
      if (f.mask() & bits) return &f;
    return nullptr;
  }
  void reset() {
    for (FieldModel& f : fields) {
      f.st = {f.quiet(), false};
      f.known = f.reset_known && !f.is_volatile;
    }
  }
  // The data a write of `d` becomes: action fields at their reset value, a selector in range.
  uint64_t shape(uint64_t d) const {
    d &= regmask();
    if (selector && *selector > 0) d %= *selector;
    for (const FieldModel& f : fields)
      if (f.action) d = (d & ~f.mask()) | ((f.quiet() & f.wmask()) << f.lsb);
    return d;
  }
  // A write that leaves every field as it is (where the policies allow it).
  uint64_t neutral() const {
    uint64_t d = 0;
    for (const FieldModel& f : fields) d |= (neutral_data(f.policy, f.st.value, f.width) & f.wmask()) << f.lsb;
    return shape(d);
  }
};

RegModel build_model(const Register& r, const Hints& hints) {
  RegModel m;
  m.reg = &r;
  if (r.width == 0 || r.width > 64 || (r.width % 8) != 0)
    throw Error(fmt::format("register {}: width {} cannot be tested (8 to 64 bits, whole bytes)", r.name, r.width));
  m.bytes = r.width / 8;
  for (const SelectorHint& s : hints.selectors)
    if (s.reg == r.name) m.selector = s.count;
  bool any_field_volatile = false;
  for (const Field& f : r.fields) any_field_volatile = any_field_volatile || f.is_volatile;
  auto add = [&](const std::string& name, unsigned lsb, unsigned width, AccessPolicy p, std::optional<uint64_t> reset,
                 bool vol, bool action, uint32_t skip) {
    FieldModel fm;
    fm.name = name;
    fm.lsb = lsb;
    fm.width = width;
    fm.policy = p;
    const uint64_t wm = width_mask(width);
    fm.reset = reset ? (*reset & wm) : ((r.reset >> lsb) & wm);
    fm.reset_known = reset.has_value() || ((r.reset_mask >> lsb) & wm) == wm;
    fm.is_volatile = vol;
    fm.action = action;
    fm.skip = skip | r.skip_tests;
    fm.nocompare = ((r.donttest_mask | r.dontcompare_mask) >> lsb) & wm;
    m.fields.push_back(std::move(fm));
  };
  if (r.fields.empty()) {
    add("", 0, r.width, policy_of(r.access), std::nullopt, r.is_volatile, false, 0);
  } else {
    for (const Field& f : r.fields) {
      if (f.width == 0 || f.lsb + f.width > r.width)
        throw Error(fmt::format("register {}: field {} [{}:{}] lies outside its {} bits", r.name, f.name,
                                f.lsb + f.width - 1, f.lsb, r.width));
      add(f.name, f.lsb, f.width, policy_of(f), f.reset, f.is_volatile || (r.is_volatile && !any_field_volatile),
          f.action, f.skip_tests);
    }
  }
  uint64_t covered = 0;
  for (const FieldModel& f : m.fields) covered |= f.mask();
  m.reserved = m.regmask() & ~covered;
  m.reset();
  return m;
}

class Runner {
 public:
  Runner(const DeviceBinding& binding, const RegtestOptions& options, RegtestReport& report)
      : m_binding(binding), m_options(options), m_report(report) {
    for (const Register& r : binding.regmap.registers) {
      m_regs.push_back(build_model(r, binding.hints));
      if (r.offset + r.width / 8 > binding.addr_limit() || r.offset + r.width / 8 < r.offset)
        throw Error(fmt::format("register {} at {:#x} lies beyond the device's address window 0x0-{:#x}", r.name,
                                r.offset, binding.addr_limit() - 1));
    }
  }

  void run_test(RegTest test) {
    RegtestTestResult& result = m_report.tests.emplace_back();
    result.name = regtest_name(test);
    if (!(m_options.tests & test)) return;
    result.run = true;
    m_test = test;
    m_result = &result;
    m_rng = Rng(m_options.seed * 0x100000001B3ULL + static_cast<uint64_t>(test));
    switch (test) {
      case kTestHwReset: hw_reset(); break;
      case kTestRw: rw(); break;
      case kTestBitBash: bit_bash(); break;
      case kTestAliasing: aliasing(); break;
      case kTestUnmapped: unmapped(); break;
      case kTestAccess: access(); break;
      default: break;
    }
    end_chunk();
    m_result = nullptr;
  }

  void finish() { keep_waiver_uses(); }

 private:
  // ------------------------------------------------------------------ the tests
  void hw_reset() {
    begin_chunk();
    read_all();
    begin_chunk();
    for (int round = 0; round < 2; ++round) {
      for (RegModel& r : m_regs) {
        if (r.skips(kTestAll)) continue;
        write(r, r.shape(m_rng.next()));
        if (m_rng.next() % 4 == 0) idle(1 + m_rng.next() % 16);
      }
    }
    reset();
    m_context = "after random writes to every register, then reset";
    read_all();
  }

  // Every register read once, each read reported in the context before the sweep.
  void read_all() {
    const std::string ctx = m_context;
    for (RegModel& r : m_regs) {
      m_context = ctx;
      check_read(r);
    }
  }

  void rw() {
    for (RegModel& r : m_regs) {
      if (!r.any_testable(kTestRw)) continue;
      begin_chunk();
      for (unsigned i = 0; i < m_options.rw_values; ++i) {
        const uint64_t d = i == 0 ? ~uint64_t(0) : i == 1 ? 0 : m_rng.next();
        write(r, r.shape(d));
        check_read(r);
      }
    }
  }

  void bit_bash() {
    for (RegModel& r : m_regs) {
      if (!r.any_testable(kTestBitBash)) continue;
      begin_chunk();
      check_read(r);
      for (const FieldModel& f : r.fields) {
        if (!f.testable(kTestBitBash)) continue;
        for (unsigned b = f.lsb; b < f.lsb + f.width; ++b) {
          for (int twice = 0; twice < 2; ++twice) {
            const uint64_t d = r.neutral() ^ (uint64_t(1) << b);
            if (r.selector && d >= *r.selector) break;  // an illegal select: not a bit test
            write(r, d, fmt::format("(bit {} toggled)", b));
            check_read(r);
          }
        }
      }
    }
  }

  // Selectors first (so the window registers written next stay selected), then the rest.
  void fill() {
    for (RegModel& r : m_regs)
      if (r.selector && !r.skips(kTestAll)) write(r, r.shape(m_rng.next()));
    for (RegModel& r : m_regs)
      if (!r.selector && !r.skips(kTestAll)) write(r, r.shape(m_rng.next()));
  }

  void aliasing() {
    begin_chunk();
    fill();
    for (RegModel& w : m_regs) {
      if (w.selector || !w.any_testable(kTestAliasing)) continue;
      write(w, w.shape(m_rng.next()));
      read_all();
    }
  }

  void unmapped() {
    const unsigned bus = m_binding.data_bytes();
    uint64_t end = 0;
    for (const RegModel& r : m_regs) end = std::max(end, r.reg->offset + r.bytes);
    const uint64_t limit = m_binding.addr_limit();
    std::vector<uint64_t> inner, outer;
    for (uint64_t a = 0; a < limit && a + bus <= limit; a += bus) {
      bool hole = true;
      for (const RegModel& r : m_regs)
        if (a < r.reg->offset + r.bytes && r.reg->offset < a + bus) hole = false;
      if (!hole) continue;
      if (a < end) {
        inner.push_back(a);
      } else {
        outer.push_back(a);
        if (outer.size() > 4096) break;  // a huge window: sample its start
      }
      if (inner.size() > 4096) break;
    }
    std::vector<uint64_t> holes;
    auto spread = [&](const std::vector<uint64_t>& from, size_t n) {
      if (from.empty() || n == 0) return;
      if (from.size() <= n) {
        holes.insert(holes.end(), from.begin(), from.end());
        return;
      }
      for (size_t i = 0; i < n; ++i) holes.push_back(from[i * (from.size() - 1) / std::max<size_t>(n - 1, 1)]);
    };
    const size_t budget = m_options.max_holes;
    spread(inner, std::min(inner.size(), budget * 3 / 4));
    spread(outer, budget - holes.size());
    if (holes.empty()) return;
    begin_chunk();
    fill();
    const bool error = m_binding.regmap.holes == HoleResponse::error;
    for (uint64_t a : holes) {
      hole_access(a, true, m_rng.next() & width_mask(8 * bus), error);
      hole_access(a, false, 0, error);
    }
    m_context = fmt::format("after accesses to {} holes", holes.size());
    read_all();
  }

  void access() {
    for (RegModel& r : m_regs) {
      for (size_t i = 0; i < r.fields.size(); ++i) {
        const FieldModel& f = r.fields[i];
        if (f.policy == AccessPolicy::rw || f.is_volatile || f.action || (f.skip & kTestAccess)) continue;
        begin_chunk();
        check_read(r);
        const uint64_t values[] = {~uint64_t(0), 0, m_rng.next(), ~uint64_t(0)};
        for (uint64_t v : values) {
          const FieldModel& fi = r.fields[i];
          const uint64_t d = (r.neutral() & ~fi.mask()) | ((v & fi.wmask()) << fi.lsb);
          write(r, r.shape(d), fmt::format("(field {} written {:#x})", fi.name, v & fi.wmask()));
          const std::string ctx = m_context;
          check_read(r);
          m_context = ctx + ", then read";
          check_read(r);
        }
      }
    }
  }

  // ------------------------------------------------------------------ steps and checks
  void begin_chunk() {
    end_chunk();
    if (!m_lockstep || m_lockstep->diverged()) {
      keep_waiver_uses();
      LockstepOptions options;
      options.waivers = m_options.waivers;
      m_lockstep = std::make_unique<Lockstep>(m_binding, options);
    }
    m_dead = false;
    m_reported.clear();
    reset();
  }

  void end_chunk() {
    if (!m_lockstep || m_dead) return;
    m_lockstep->finish();
    if (m_lockstep->diverged()) divergence(nullptr, 0, 0);
    m_dead = true;
  }

  void reset() {
    if (m_dead) return;
    exec(Step::reset());
    for (RegModel& r : m_regs) r.reset();
    m_context = "after reset";
  }

  void idle(uint64_t cycles) {
    if (m_dead) return;
    exec(Step::idle(cycles));
  }

  // Runs one step on both sides; false when the lockstep run diverged on it.
  bool exec(const Step& s, StepResult* out = nullptr) {
    const StepResult r = m_lockstep->execute(s);
    ++m_report.steps;
    if (out) *out = r;
    return !m_lockstep->diverged();
  }

  void write(RegModel& r, uint64_t data, const std::string& note = "") {
    if (m_dead) return;
    StepResult res;
    const bool ok = exec(Step::write(r.reg->offset, data, static_cast<uint8_t>(r.bytes)), &res);
    count_check();
    if (!ok) {
      divergence(&r, 0, 0);
    } else if (res.error) {
      fail(r, "", "write error", RegtestSide::both, 0, 1, 1, 1,
           fmt::format("{}: write of {:#x} to {} answers an error on both sides where the map declares none",
                       m_result->name, data, r.reg->name));
    }
    for (FieldModel& f : r.fields) {
      const FieldAccess fa = field_write(f.policy, f.st, (data >> f.lsb) & f.wmask(), f.width);
      const bool first_once = (f.policy == AccessPolicy::w1 || f.policy == AccessPolicy::rw1) && !f.st.written;
      f.st = fa.next;
      if (!f.is_volatile && (write_determines(f.policy) || first_once)) f.known = true;
    }
    m_context = fmt::format("after write {:#x} to {}{}{}", data, r.reg->name, note.empty() ? "" : " ", note);
  }

  // The map's prediction of a read of `r` in the current test: value and compared bits. Applies
  // the read's side effects to the prediction.
  std::pair<uint64_t, uint64_t> predict_read(RegModel& r) {
    uint64_t value = 0, mask = r.skips(m_test) ? 0 : r.reserved;
    for (FieldModel& f : r.fields) {
      const FieldAccess fa = field_read(f.policy, f.st, f.width);
      value |= (fa.read & f.wmask()) << f.lsb;
      const bool compare = !f.is_volatile && !(f.skip & m_test) && (f.known || !readable(f.policy));
      if (compare) mask |= ((f.wmask() & ~f.nocompare) << f.lsb);
      f.st = fa.next;
      if (read_side_effect(f.policy) && !f.is_volatile) f.known = true;
    }
    return {value & mask, mask};
  }

  void check_read(RegModel& r) {
    if (m_dead) return;
    const auto [expected, mask] = predict_read(r);
    StepResult res;
    const bool ok = exec(Step::read(r.reg->offset, static_cast<uint8_t>(r.bytes)), &res);
    count_check();
    if (!ok) {
      divergence(&r, expected, mask);
      return;
    }
    if (res.error) {
      fail(r, "", "read error", RegtestSide::both, 0, 1, 1, 1,
           fmt::format("{}: {}: read answers an error on both sides where the map declares none {}", m_result->name,
                       r.reg->name, m_context));
      return;
    }
    if ((res.data & mask) != expected) classify(r, expected, mask, res.data, res.data);
    m_context = fmt::format("after read of {}", r.reg->name);
  }

  void hole_access(uint64_t addr, bool is_write, uint64_t data, bool error_expected) {
    if (m_dead) return;
    const unsigned bus = m_binding.data_bytes();
    StepResult res;
    const Step s =
        is_write ? Step::write(addr, data, static_cast<uint8_t>(bus)) : Step::read(addr, static_cast<uint8_t>(bus));
    const bool ok = exec(s, &res);
    count_check();
    const std::string where = fmt::format("unmapped {:#x}", addr);
    const std::string what = is_write ? "write error" : "read error";
    auto hole_fail = [&](RegtestSide side, uint64_t rtl, uint64_t model, const std::string& how) {
      RegtestFailure f;
      f.test = m_result->name;
      f.reg = where;
      f.offset = addr;
      f.side = side;
      f.what = what;
      f.expected = error_expected;
      f.rtl = rtl;
      f.model = model;
      f.mask = 1;
      f.step = m_report.steps - 1;
      f.context = is_write ? fmt::format("write {:#x}", data) : "read";
      f.message =
          fmt::format("unmapped: {} at {:#x}: {} ({} {})", is_write ? "write" : "read", addr, how, side_name(side),
                      side == RegtestSide::rtl_vs_model ? "disagree" : "disagrees with the map");
      record(std::move(f), where);
    };
    if (!ok) {
      const Divergence& d = *m_lockstep->divergence();
      m_dead = true;
      if (d.kind == DivergenceKind::read_error || d.kind == DivergenceKind::write_error) {
        const bool rtl_bad = (d.rtl != 0) != error_expected;
        hole_fail(rtl_bad ? RegtestSide::rtl : RegtestSide::model, d.rtl, d.model,
                  fmt::format("map says {}, RTL {}, model {}", error_expected ? "error" : "no error",
                              d.rtl ? "error" : "no error", d.model ? "error" : "no error"));
      } else if (d.kind == DivergenceKind::read_data) {
        const bool rtl_bad = d.rtl != 0;
        hole_fail(rtl_bad && d.model != 0 ? RegtestSide::both
                  : rtl_bad               ? RegtestSide::rtl
                                          : RegtestSide::model,
                  d.rtl, d.model, fmt::format("map says read data 0, RTL {:#x}, model {:#x}", d.rtl, d.model));
      } else {
        divergence(nullptr, 0, 0);
      }
      return;
    }
    if (res.error != error_expected) {
      hole_fail(RegtestSide::both, res.error, res.error,
                fmt::format("map says {}, RTL and model {}", error_expected ? "error" : "no error",
                            res.error ? "error" : "no error"));
    } else if (!is_write && res.data != 0) {
      hole_fail(RegtestSide::both, res.data, res.data,
                fmt::format("map says read data 0, RTL and model {:#x}", res.data));
    }
  }

  // The lockstep run diverged on the last step (or at finish(), `r` null): classify it
  // against the map where it is a read of `r`.
  void divergence(RegModel* r, uint64_t expected, uint64_t mask) {
    const Divergence& d = *m_lockstep->divergence();
    m_dead = true;
    if (r && d.kind == DivergenceKind::read_data) {
      classify(*r, expected, mask, d.rtl, d.model);
      return;
    }
    if (r && (d.kind == DivergenceKind::read_error || d.kind == DivergenceKind::write_error)) {
      const RegtestSide side = d.rtl ? RegtestSide::rtl : RegtestSide::model;
      fail(*r, "", d.kind == DivergenceKind::read_error ? "read error" : "write error", side, 0, d.rtl, d.model, 1,
           fmt::format("{}: {}: {} {} (the {} answers an error where the map declares none)", m_result->name,
                       r->reg->name, d.detail, m_context, side_name(side)));
      return;
    }
    RegtestFailure f;
    f.test = m_result->name;
    f.reg = d.reg;
    f.side = RegtestSide::rtl_vs_model;
    f.what = kind_name(d.kind);
    f.rtl = d.rtl;
    f.model = d.model;
    f.step = m_report.steps - 1;
    f.context = m_context;
    f.message =
        fmt::format("{}: {} divergence at {} {}: {} (RTL vs model)", f.test, f.what, d.reg, m_context, d.detail);
    record(std::move(f), d.reg);
  }

  void classify(RegModel& r, uint64_t expected, uint64_t mask, uint64_t rtl, uint64_t model) {
    const uint64_t rbad = (rtl ^ expected) & mask, mbad = (model ^ expected) & mask;
    RegtestSide side;
    uint64_t bits;
    if (rbad || mbad) {
      side = rbad && mbad ? RegtestSide::both : rbad ? RegtestSide::rtl : RegtestSide::model;
      bits = rbad | mbad;
    } else if (rtl != model) {
      side = RegtestSide::rtl_vs_model;
      bits = rtl ^ model;
    } else {
      return;
    }
    const FieldModel* f = r.field_at(bits);
    std::string fname = f && !f->name.empty() ? f->name : "";
    const std::string where = !f && (bits & r.reserved) ? fmt::format(" (reserved bits {:#x})", bits & r.reserved) : "";
    std::string values;
    if (f && !f->name.empty() && f->mask() != r.regmask()) {
      auto fv = [&](uint64_t v) { return (v >> f->lsb) & f->wmask(); };
      if (side == RegtestSide::rtl_vs_model)
        values =
            fmt::format("RTL {:#x}, model {:#x} (register RTL {:#x}, model {:#x})", fv(rtl), fv(model), rtl, model);
      else
        values = fmt::format(
            "map {:#x}, RTL {:#x}, model {:#x} (register: map {:#x} under mask {:#x}, RTL {:#x}, model {:#x})",
            fv(expected), fv(rtl), fv(model), expected, mask, rtl, model);
    } else if (side == RegtestSide::rtl_vs_model) {
      values = fmt::format("RTL {:#x}, model {:#x}", rtl, model);
    } else {
      values = fmt::format("map {:#x}, RTL {:#x}, model {:#x} (mask {:#x})", expected, rtl, model, mask);
    }
    std::string verdict;
    switch (side) {
      case RegtestSide::rtl: verdict = "the RTL disagrees with the map (the model agrees)"; break;
      case RegtestSide::model: verdict = "the model disagrees with the map (the RTL agrees)"; break;
      case RegtestSide::both: verdict = "RTL and model both disagree with the map"; break;
      case RegtestSide::rtl_vs_model:
        verdict = f && !f->name.empty()
                      ? fmt::format("RTL and model disagree where the map predicts nothing ({} is {}{})", f->name,
                                    f->is_volatile ? "volatile " : "", policy_name(f->policy))
                      : "RTL and model disagree where the map predicts nothing";
        break;
    }
    fail(r, fname, "read data", side, expected, rtl, model, mask,
         fmt::format("{}: {}{}{}{} {}: {}: {}", m_result->name, r.reg->name, fname.empty() ? "" : ".", fname, where,
                     m_context, values, verdict));
  }

  void fail(RegModel& r, const std::string& field, const std::string& what, RegtestSide side, uint64_t expected,
            uint64_t rtl, uint64_t model, uint64_t mask, std::string message) {
    RegtestFailure f;
    f.test = m_result->name;
    f.reg = r.reg->name;
    f.field = field;
    f.offset = r.reg->offset;
    f.side = side;
    f.what = what;
    f.expected = expected;
    f.rtl = rtl;
    f.model = model;
    f.mask = mask;
    f.step = m_report.steps - 1;
    f.context = m_context;
    f.message = std::move(message);
    record(std::move(f), r.reg->name);
  }

  // One failure per register per chunk: what follows a wrong value is mostly its echo.
  void record(RegtestFailure f, const std::string& key) {
    if (!m_reported.insert(key).second) return;
    ++m_result->failures;
    ++m_report.failure_count;
    if (m_report.failures.size() < m_options.max_failures) m_report.failures.push_back(std::move(f));
  }

  void count_check() {
    ++m_result->checks;
    ++m_report.checks;
  }

  // The uses the current engine counted, into the report (before it is replaced, and at the end).
  void keep_waiver_uses() {
    if (m_lockstep) merge_waiver_uses(m_report.waived, m_lockstep->waived());
    m_lockstep.reset();
  }

  const DeviceBinding& m_binding;
  const RegtestOptions& m_options;
  RegtestReport& m_report;
  std::vector<RegModel> m_regs;
  std::unique_ptr<Lockstep> m_lockstep;
  bool m_dead = true;
  std::set<std::string> m_reported;
  RegTest m_test = kTestHwReset;
  RegtestTestResult* m_result = nullptr;
  Rng m_rng{1};
  std::string m_context;
};

}  // namespace

RegtestReport run_regtest(const DeviceBinding& binding, const RegtestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RegtestReport report;
  report.device = binding.name;
  report.tests.reserve(6);
  Runner runner(binding, options, report);
  for (RegTest t : {kTestHwReset, kTestRw, kTestBitBash, kTestAliasing, kTestUnmapped, kTestAccess}) runner.run_test(t);
  runner.finish();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::string format_regtest(const RegtestReport& report) {
  std::string out = fmt::format("{}: regtest {} ({} checks, {} failures, {} steps, {:.2f} s)\n", report.device,
                                report.passed() ? "passed" : "FAILED", report.checks, report.failure_count,
                                report.steps, report.seconds);
  for (const RegtestTestResult& t : report.tests) {
    if (!t.run) continue;
    out += fmt::format("  {:<9} {:>7} checks  {}\n", t.name, t.checks,
                       t.failures ? fmt::format("{} FAILED", t.failures) : std::string("ok"));
  }
  for (const RegtestFailure& f : report.failures) out += fmt::format("  FAIL [{}] {}\n", side_name(f.side), f.message);
  if (report.failure_count > report.failures.size())
    out += fmt::format("  ... {} more failures\n", report.failure_count - report.failures.size());
  return out;
}

}  // namespace tandem
