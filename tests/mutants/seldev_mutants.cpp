// seldev mutants: the four bug classes of the lockstep-core issue.
#include "models/seldev/seldev_model.h"
#include "mutants.h"

namespace tandem {

namespace {

// (a) Trusts UNIT_SELECT: stores any value, so the window indexes m_units out of range —
// QEMU's classic `unit = &s->unit[val]`. The hardware refuses it with PSLVERR.
class TrustSelect final : public models::SeldevModel {
 public:
  TrustSelect() { m_select_limit = ~uint64_t(0); }
};

// (b) Assumes the programming guide's order (enable before start): starts regardless.
class StartWithoutEnable final : public models::SeldevModel {
  bool start_allowed() const override { return true; }
};

// (c) Wrong reset value: IRQ_ENABLE comes out of reset with every DONE interrupt enabled.
class WrongReset final : public models::SeldevModel {
  uint32_t done_ie_reset() const override { return 0xf; }
};

// (d) The completion interrupt reaches the line one cycle after DONE sets.
class IrqLate final : public models::SeldevModel {
 public:
  IrqLate() { m_irq_delay = 1; }
};

// (e) Restore trusts the saved UNIT_SELECT: any index is loaded, so the window indexes past
// the units afterwards (a migration stream that plants `unit = &s->unit[val]`). Everything
// else restore() checks as the correct model does: the select is checked as 0, then stored.
class RestoreTrustsSelect final : public models::SeldevModel {
  std::string restore(StateReader& in) override {
    std::vector<uint8_t> bytes;
    for (uint8_t b = 0; in.u8(b);) bytes.push_back(b);
    constexpr size_t kSelAt = 5;  // after the version (u32) and CTRL.ENABLE (u8)
    if (bytes.size() < kSelAt + 4) {
      StateReader short_in(bytes);
      return SeldevModel::restore(short_in);
    }
    uint32_t sel = 0;
    for (unsigned i = 0; i < 4; ++i) {
      sel |= uint32_t(bytes[kSelAt + i]) << (8 * i);
      bytes[kSelAt + i] = 0;
    }
    StateReader patched(bytes);
    std::string why = SeldevModel::restore(patched);
    if (why.empty()) word(UNIT_SELECT / 4) = sel;
    return why;
  }
};

// (f) Same-edge race, software clear against hardware set: a STATUS write of 1s landing on the
// edge a unit completes clears the DONE that edge sets. The hardware sets DONE after the
// clear, so the bit survives.
class DoneClearWins final : public models::SeldevModel {
 public:
  DoneClearWins() { m_edge_first = kStatusEdgeFirst; }
};

// (g) A window write landing on the completion edge: the model completes the unit first and
// takes the write (a START there restarts it); the hardware's unit is still busy at that
// edge and refuses it with PSLVERR and BUSY_ERR.
class IdleOnDoneEdge final : public models::SeldevModel {
 public:
  IdleOnDoneEdge() { m_edge_first = kWindowEdgeFirst; }
};

template <class T>
std::function<std::unique_ptr<Device>()> factory() {
  return [] { return std::make_unique<T>(); };
}

}  // namespace

std::vector<Mutant> seldev_mutants() {
  return {
      {"seldev", "seldev.trust_select", "unchecked index",
       "UNIT_SELECT stores any value; the window indexes past the units", DivergenceKind::write_error, "UNIT_SELECT",
       factory<TrustSelect>()},
      {"seldev", "seldev.start_without_enable", "assumed ordering", "U_CMD.START works while CTRL.ENABLE is 0",
       DivergenceKind::read_data, "STATUS", factory<StartWithoutEnable>()},
      {"seldev", "seldev.wrong_reset", "wrong reset value", "IRQ_ENABLE resets to 0xf instead of 0",
       DivergenceKind::read_data, "IRQ_ENABLE", factory<WrongReset>()},
      {"seldev", "seldev.irq_late", "interrupt timing", "the completion interrupt rises one cycle late",
       DivergenceKind::irq, "irq", factory<IrqLate>()},
      {"seldev", "seldev.restore_trusts_select", "unchecked index (restore)",
       "restore loads any UNIT_SELECT from the saved state; the window then indexes past the units",
       DivergenceKind::restore, "unit_select", factory<RestoreTrustsSelect>()},
      {"seldev", "seldev.done_clear_wins", "same-edge race",
       "a STATUS W1C on the completion edge clears the DONE that edge sets", DivergenceKind::irq, "irq",
       factory<DoneClearWins>()},
      {"seldev", "seldev.idle_on_done_edge", "same-edge race",
       "a window write on the completion edge is taken as if the unit were idle", DivergenceKind::write_error, "U_CFG",
       factory<IdleOnDoneEdge>()},
  };
}

}  // namespace tandem
