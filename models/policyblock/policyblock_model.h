// Functional model of rtl/policyblock: one 8-bit field per access policy and a register
// mixing four (see the RTL's header for every corner). Written against the RTL, not against
// tandem's field_access.h, so that regtest checks two independent readings of the map.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <tandem/device.h>
#include <tandem/word_registers.h>
#include <tandem_regs/policyblock.hpp>  // generated from devices/policyblock/policyblock.rdl

namespace models {

class PolicyblockModel : public tandem::Device {
 public:
  // Field policies in the numbering of tandem::AccessPolicy (the RTL's POLICY parameter).
  enum Policy : unsigned {
    // clang-format off
    RW, RO, WO, RC, RS, WRC, WRS, WC, WS, WSRC, WCRS, W1C, W1S, W1T, W0C, W0S, W0T,
    W1SRC, W1CRS, W0SRC, W0CRS, W1, RW1, kPolicies
    // clang-format on
  };
  // Offsets and resets: the map's generated names.
  static constexpr uint32_t kId = tandem_regs::policyblock::ID_VALUE_RESET;
  static constexpr uint64_t ID = tandem_regs::policyblock::ID, MIXED = tandem_regs::policyblock::MIXED;
  static constexpr uint64_t offset_of(unsigned policy) { return tandem_regs::policyblock::RW + 4 * uint64_t(policy); }
  static constexpr std::array<uint8_t, kPolicies> kResets = [] {
    namespace R = tandem_regs::policyblock;
    return std::array<uint8_t, kPolicies>{
        R::RW_P_RESET,    R::RO_P_RESET,    R::WO_P_RESET,    R::RC_P_RESET,   R::RS_P_RESET,   R::WRC_P_RESET,
        R::WRS_P_RESET,   R::WC_P_RESET,    R::WS_P_RESET,    R::WSRC_P_RESET, R::WCRS_P_RESET, R::W1C_P_RESET,
        R::W1S_P_RESET,   R::W1T_P_RESET,   R::W0C_P_RESET,   R::W0S_P_RESET,  R::W0T_P_RESET,  R::W1SRC_P_RESET,
        R::W1CRS_P_RESET, R::W0SRC_P_RESET, R::W0CRS_P_RESET, R::W1_P_RESET,   R::RW1_P_RESET};
  }();
  static constexpr uint8_t kMixedResets[4] = {
      tandem_regs::policyblock::MIXED_A_RW_RESET, tandem_regs::policyblock::MIXED_B_W1C_RESET,
      tandem_regs::policyblock::MIXED_C_RO_RESET, tandem_regs::policyblock::MIXED_D_RC_RESET};

  PolicyblockModel() { reset(0); }
  void reset(tandem::Cycle now) override;
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override;
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override;
  void advance(tandem::Cycle now) override { m_now = now; }
  tandem::Cycle next_event(tandem::Cycle) const override { return tandem::kNever; }
  uint32_t irq() const override { return 0; }
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

 protected:
  // Hooks the seeded-bug mutants override; the correct model is these defaults.
  virtual uint8_t reset_value(unsigned policy) const { return kResets[policy]; }
  virtual unsigned behaviour(unsigned policy) const { return policy; }  // the policy a field acts as

 private:
  struct Field {
    uint8_t value = 0;
    bool written = false;
  };
  // One access to a field of `width` bits acting as `policy`; returns the read data.
  static uint8_t field_read(unsigned policy, Field& f, uint8_t ones);
  static void field_write(unsigned policy, Field& f, uint8_t data, uint8_t ones);

  // The register front end's hooks (tandem/word_registers.h). The block has no clock of its
  // own: an access only records the edge.
  friend struct tandem::WordRegisters<PolicyblockModel>;
  static constexpr unsigned word_bytes() { return 4; }
  static bool mapped(uint64_t word) { return word <= MIXED; }  // ID, one word per policy, MIXED
  uint32_t read_word(uint64_t word, tandem::Cycle);
  void write_word(uint64_t word, uint32_t value, uint32_t lanes, tandem::Cycle now);
  void catch_up_before(tandem::Cycle, tandem::Direction) {}
  void catch_up(tandem::Cycle now) { m_now = now; }

  std::array<Field, kPolicies> m_fields;
  Field m_mixed_rw, m_mixed_w1c, m_mixed_ro, m_mixed_rc;
  tandem::Cycle m_now = 0;
};

static_assert(PolicyblockModel::offset_of(PolicyblockModel::RW1) == tandem_regs::policyblock::RW1,
              "one policy register per word, in policy order");
static_assert(PolicyblockModel::ID == 0 && PolicyblockModel::offset_of(0) == 4 &&
                  PolicyblockModel::MIXED == PolicyblockModel::offset_of(PolicyblockModel::kPolicies),
              "ID, the policies and MIXED fill the words from 0 to MIXED");

}  // namespace models
