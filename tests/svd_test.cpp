// CMSIS-SVD reader: device, peripherals, clusters, registers and fields into the same
// elaborated map as SystemRDL, and every error with file:line.
#include <catch2/catch.hpp>

#include <tandem/error.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem/svd.h>

using namespace tandem;

namespace {

const std::string kData = std::string(TANDEM_SOURCE_DIR) + "/tests/data/regmaps/";

// A device with one peripheral P at 0x1000 whose <registers> hold `lines`; its first line is
// line 9 of the document.
std::string svd_doc(const std::string& lines) {
  return "<?xml version=\"1.0\"?>\n"
         "<device>\n"
         "  <name>D</name>\n"
         "  <peripherals>\n"
         "    <peripheral>\n"
         "      <name>P</name>\n"
         "      <baseAddress>0x1000</baseAddress>\n"
         "      <registers>\n" +
         lines +
         "\n      </registers>\n"
         "    </peripheral>\n"
         "  </peripherals>\n"
         "</device>\n";
}

std::string svd_error(const std::string& text) {
  try {
    parse_svd(text, "t.svd");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const RegisterSpec& reg(const MapSpec& m, const std::string& name) {
  const RegisterSpec* r = m.reg(name);
  if (!r) FAIL("no register " << name);
  return *r;
}

}  // namespace

TEST_CASE("svd: registers of several peripherals are PERIPH.REG at absolute addresses", "[svd]") {
  const MapSpec m = load_svd(kData + "demo.svd");
  CHECK(m.name == "DEMO");
  CHECK(m.format == "svd");
  CHECK(m.desc == "demo device, wrapped");
  const RegisterSpec& ctrl = reg(m, "TIMER0.CTRL");
  CHECK(ctrl.offset == 0x40000000);
  CHECK(ctrl.width == 32);
  CHECK(ctrl.desc == "control");
  CHECK(ctrl.loc.str() == kData + "demo.svd:25");
  CHECK(reg(m, "TIMER1.CTRL").offset == 0x40001000);  // derivedFrom TIMER0
  CHECK(reg(m, "TIMER1.SLOT[1].FLAGS").offset == 0x40001054);
  CHECK(m.registers.size() == 2 * 18);
  for (size_t i = 1; i < m.registers.size(); ++i) CHECK(m.registers[i - 1].offset < m.registers[i].offset);
}

TEST_CASE("svd: bitOffset/bitWidth, lsb/msb and bitRange place fields, resets come from resetValue", "[svd]") {
  const MapSpec m = load_svd(kData + "demo.svd");
  const RegisterSpec& ctrl = reg(m, "TIMER0.CTRL");
  REQUIRE(ctrl.fields.size() == 3);
  CHECK(ctrl.fields[0].name == "EN");
  CHECK(ctrl.fields[0].desc == "enable");
  CHECK(ctrl.fields[0].lsb == 0);
  CHECK(ctrl.fields[0].width == 1);
  CHECK(ctrl.fields[1].name == "MODE");
  CHECK(ctrl.fields[1].lsb == 1);
  CHECK(ctrl.fields[1].width == 2);
  CHECK(ctrl.fields[2].name == "PRESCALE");
  CHECK(ctrl.fields[2].lsb == 8);
  CHECK(ctrl.fields[2].width == 8);
  CHECK(ctrl.fields[2].reset == 1u);
  CHECK(ctrl.reset() == 0x102);
  CHECK(ctrl.fields[0].policy == AccessPolicy::rw);
  CHECK_FALSE(ctrl.fields[0].hw);  // SVD does not say what hardware does
  const RegisterSpec& status = reg(m, "TIMER0.STATUS");
  CHECK(status.field("MATCH")->width == 1);  // bitWidth defaults to 1
}

TEST_CASE("svd: resetMask leaves fields outside it undefined, size narrows the register", "[svd]") {
  const MapSpec m = load_svd(kData + "demo.svd");
  const RegisterSpec& cfg = reg(m, "TIMER0.CHB_CFG");
  CHECK(cfg.width == 16);
  CHECK(cfg.offset == 0x40000024);
  CHECK(cfg.field("LO")->reset == 0xABu);
  CHECK_FALSE(cfg.field("HI")->reset);
  CHECK(cfg.reset_mask() == 0xFF);
}

TEST_CASE("svd: dim arrays with [%s], with a dimIndex list, of clusters and of fields", "[svd]") {
  const MapSpec m = load_svd(kData + "demo.svd");
  CHECK(reg(m, "TIMER0.CMP[0]").offset == 0x40000010);
  CHECK(reg(m, "TIMER0.CMP[3]").offset == 0x4000001C);
  // A register without fields is one field covering it, named without the placeholder.
  REQUIRE(reg(m, "TIMER0.CMP[2]").fields.size() == 1);
  CHECK(reg(m, "TIMER0.CMP[2]").fields[0].name == "CMP");
  CHECK(reg(m, "TIMER0.CMP[2]").fields[0].width == 32);
  CHECK(reg(m, "TIMER0.CMP[2]").desc == "compare value");
  CHECK(reg(m, "TIMER0.CHA_CFG").offset == 0x40000020);
  CHECK(reg(m, "TIMER0.CHC_CFG").offset == 0x40000028);
  CHECK(reg(m, "TIMER0.SLOT[0].DATA").offset == 0x40000040);
  CHECK(reg(m, "TIMER0.SLOT[1].DATA").offset == 0x40000050);
  const RegisterSpec& evt = reg(m, "TIMER0.EVT");
  REQUIRE(evt.fields.size() == 4);
  CHECK(evt.fields[3].name == "E3");
  CHECK(evt.fields[3].lsb == 6);
  CHECK(evt.fields[3].width == 2);
}

TEST_CASE("svd: access, modifiedWriteValues and readAction give every policy SVD can state", "[svd]") {
  const MapSpec m = load_svd(kData + "demo.svd");
  CHECK(reg(m, "TIMER0.STATUS").field("MATCH")->policy == AccessPolicy::w1c);
  CHECK(reg(m, "TIMER0.STATUS").field("OVF")->policy == AccessPolicy::rc);
  CHECK(reg(m, "TIMER0.STATUS").field("COUNT_HI")->policy == AccessPolicy::ro);
  CHECK(reg(m, "TIMER0.KEY").fields[0].policy == AccessPolicy::w1);
  CHECK(reg(m, "TIMER0.LOCK").fields[0].policy == AccessPolicy::rw1);
  CHECK(reg(m, "TIMER0.CMD").fields[0].policy == AccessPolicy::wo);
  const RegisterSpec& flags = reg(m, "TIMER0.SLOT[0].FLAGS");
  const std::pair<const char*, AccessPolicy> expect[] = {
      {"S1", AccessPolicy::w1s},    {"T1", AccessPolicy::w1t},     {"C0", AccessPolicy::w0c},
      {"S0", AccessPolicy::w0s},    {"T0", AccessPolicy::w0t},     {"CLR", AccessPolicy::wc},
      {"SET", AccessPolicy::ws},    {"PLAIN", AccessPolicy::rw},   {"SRC", AccessPolicy::w1src},
      {"CRS", AccessPolicy::w1crs}, {"ZSRC", AccessPolicy::w0src}, {"ZCRS", AccessPolicy::w0crs},
      {"WSRC", AccessPolicy::wsrc}, {"WCRS", AccessPolicy::wcrs},  {"WRC", AccessPolicy::wrc},
      {"WRS", AccessPolicy::wrs},   {"VOL", AccessPolicy::rw},     {"RS", AccessPolicy::rs}};
  for (const auto& [name, policy] : expect) {
    INFO(name);
    REQUIRE(flags.field(name));
    CHECK(flags.field(name)->policy == policy);
  }
  // readAction=modify: a read changes the field in a way the file does not say.
  CHECK(flags.field("VOL")->properties.at(kVolatileProperty).boolean);
  CHECK(to_register_map(m).by_name("TIMER0.SLOT[0].FLAGS")->is_volatile);
}

TEST_CASE("svd: enumeratedValues with 0b, # and decimal values, and derivedFrom", "[svd]") {
  const MapSpec m = load_svd(kData + "demo.svd");
  const FieldSpec& mode = *reg(m, "TIMER0.CTRL").field("MODE");
  CHECK(mode.enum_name == "mode_e");
  REQUIRE(mode.enum_values.size() == 3);  // isDefault carries no value
  CHECK(mode.enum_values[0].name == "ONESHOT");
  CHECK(mode.enum_values[0].desc == "stop at the match");
  CHECK(mode.enum_values[1].value == 1);
  CHECK(mode.enum_values[2].value == 2);
  const FieldSpec& op = reg(m, "TIMER0.CMD").fields[0];
  CHECK(op.enum_name == "mode_e");
  CHECK(op.enum_values.size() == 3);
  // A derived register copies the fields of its base.
  CHECK(reg(m, "TIMER0.CTRL2").fields.size() == 3);
  CHECK(reg(m, "TIMER0.CTRL2").reset() == 0x102);
}

TEST_CASE("svd: one peripheral is the map itself, offsets relative to its base", "[svd]") {
  const MapSpec m = load_svd(kData + "seldev.svd");
  CHECK(m.name == "seldev");
  CHECK(m.registers.at(0).name == "ID");
  CHECK(m.registers.at(0).offset == 0);
  CHECK(reg(m, "U_CMD").offset == 0x2C);
  // The same registers, fields, resets and policies as the SystemRDL description.
  const RegisterMap svd = to_register_map(m);
  const RegisterMap rdl = to_register_map(load_rdl(std::string(TANDEM_SOURCE_DIR) + "/devices/seldev/seldev.rdl"));
  REQUIRE(svd.registers.size() == rdl.registers.size());
  for (size_t i = 0; i < rdl.registers.size(); ++i) {
    INFO(rdl.registers[i].name);
    CHECK(svd.registers[i].name == rdl.registers[i].name);
    CHECK(svd.registers[i].offset == rdl.registers[i].offset);
    CHECK(svd.registers[i].reset == rdl.registers[i].reset);
    CHECK(svd.registers[i].write_mask == rdl.registers[i].write_mask);
    REQUIRE(svd.registers[i].fields.size() == rdl.registers[i].fields.size());
    for (size_t f = 0; f < rdl.registers[i].fields.size(); ++f) {
      CHECK(svd.registers[i].fields[f].lsb == rdl.registers[i].fields[f].lsb);
      CHECK(svd.registers[i].fields[f].policy == rdl.registers[i].fields[f].policy);
    }
  }
}

TEST_CASE("svd: load_map_spec picks the reader by extension", "[svd]") {
  CHECK(load_map_spec(kData + "seldev.svd").format == "svd");
  CHECK(load_map_spec(std::string(TANDEM_SOURCE_DIR) + "/devices/seldev/seldev.rdl").format == "rdl");
  CHECK_THROWS_WITH(load_map_spec("map.json"), "map.json: unknown register-map format (expected .rdl, .svd or .xml)");
  CHECK_THROWS_WITH(load_map_spec("/nonexistent/x.svd"), "/nonexistent/x.svd: cannot read: No such file or directory");
}

TEST_CASE("svd: errors name the file and line", "[svd][errors]") {
  struct Case {
    std::string text;
    const char* error;
  };
  const Case cases[] = {
      {"<device><name>x</name>\n<peripherals>\n</device>", "t.svd:3: XML: Start-end tags mismatch"},
      {"", "t.svd:1: XML: No document element found"},
      {"<?xml version=\"1.0\"?>\n<root/>", "t.svd:2: not a CMSIS-SVD file (no <device> element)"},
      {"<device>\n  <colour>red</colour>\n</device>", "t.svd:2: unsupported element <colour> in <device>"},
      {"<device>\n  <name>D</name>\n</device>", "t.svd:1: <device> has no <peripherals>"},
      {"<device><addressUnitBits>16</addressUnitBits><peripherals/></device>",
       "t.svd:1: unsupported construct 'addressUnitBits other than 8'"},
      {svd_doc("<register><name>R</name></register>"), "t.svd:9: <register> is missing <addressOffset>"},
      {svd_doc("<register><name>R</name><addressOffset>12z</addressOffset></register>"),
       "t.svd:9: <addressOffset>: '12z' is not a number"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset>\n<size>24</size></register>"),
       "t.svd:10: <size> 24 is not a power of two between 8 and 64"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset>\n<access>sometimes</access></register>"),
       "t.svd:10: <access>: unknown value 'sometimes'"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset>\n"
               "<modifiedWriteValues>oneToFlip</modifiedWriteValues></register>"),
       "t.svd:10: <modifiedWriteValues>: unknown value 'oneToFlip'"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset>\n<readAction>modifyExternal</readAction></"
               "register>"),
       "t.svd:10: unsupported construct 'readAction modifyExternal'"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><access>write-only</access>\n"
               "<modifiedWriteValues>oneToClear</modifiedWriteValues></register>"),
       "t.svd:9: field 'R': sw=w onwrite=woclr is not an access policy tandem models"},
      {svd_doc("<register><name>A</name><addressOffset>0</addressOffset></register>\n"
               "<register><name>B</name><addressOffset>2</addressOffset></register>"),
       "t.svd:10: register 'B' at 0x2 overlaps register 'A' at 0x0"},
      {svd_doc("<register><name>A</name><addressOffset>0</addressOffset></register>\n"
               "<register><name>A</name><addressOffset>4</addressOffset></register>"),
       "t.svd:10: register 'A' is defined twice"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name><bitRange>[32:31]</bitRange></field></fields></register>"),
       "t.svd:10: field 'F' [32:31] does not fit the 32-bit register"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name><bitRange>7:0</bitRange></field></fields></register>"),
       "t.svd:10: <bitRange> '7:0' is not [msb:lsb]"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name></field></fields></register>"),
       "t.svd:10: field has no bitOffset, lsb/msb or bitRange"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name><lsb>4</lsb><msb>2</msb></field></fields></register>"),
       "t.svd:10: lsb 4 msb 2 is not a field of a register"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>A</name><bitRange>[3:0]</bitRange></field>\n"
               "<field><name>B</name><bitRange>[4:3]</bitRange></field></fields></register>"),
       "t.svd:11: field 'B' [4:3] overlaps field 'A' [3:0]"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><resetMask>0x3</resetMask><fields>\n"
               "<field><name>A</name><bitRange>[3:0]</bitRange></field></fields></register>"),
       "t.svd:10: <resetMask> covers only part of field 'A'"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><size>8</size>\n"
               "<resetValue>0x100</resetValue></register>"),
       "t.svd:9: <resetValue> 0x100 does not fit the 8-bit register"},
      {svd_doc("<register derivedFrom=\"NOPE\"><name>R</name><addressOffset>0</addressOffset></register>"),
       "t.svd:9: derivedFrom 'NOPE': no such register"},
      {svd_doc("<register derivedFrom=\"B\"><name>A</name><addressOffset>0</addressOffset></register>\n"
               "<register derivedFrom=\"A\"><name>B</name><addressOffset>4</addressOffset></register>"),
       "t.svd:10: derivedFrom 'A' forms a cycle"},
      {svd_doc("<register><name>R</name><dim>2</dim><dimIncrement>4</dimIncrement><addressOffset>0</addressOffset></"
               "register>"),
       "t.svd:9: 'R' has <dim> but no %s in its name"},
      {svd_doc("<register><name>R%s</name><addressOffset>0</addressOffset></register>"),
       "t.svd:9: 'R%s' has %s but no <dim>"},
      {svd_doc("<register><name>R%s</name><dim>2</dim><addressOffset>0</addressOffset></register>"),
       "t.svd:9: <register> is missing <dimIncrement>"},
      {svd_doc("<register><name>R%s</name><dim>3</dim><dimIncrement>4</dimIncrement>\n"
               "<dimIndex>A,B</dimIndex><addressOffset>0</addressOffset></register>"),
       "t.svd:10: <dimIndex> 'A,B' names 2 elements, <dim> is 3"},
      {svd_doc("<register><name>R%s</name><dim>0</dim><dimIncrement>4</dimIncrement><addressOffset>0</addressOffset></"
               "register>"),
       "t.svd:9: <dim> 0 is not between 1 and 65536"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name><bitRange>[1:0]</bitRange><enumeratedValues>\n"
               "<enumeratedValue><name>BIG</name><value>4</value></enumeratedValue>\n"
               "</enumeratedValues></field></fields></register>"),
       "t.svd:11: enumerated value BIG = 0x4 does not fit the 2-bit field"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name><bitRange>[1:0]</bitRange><enumeratedValues>\n"
               "<enumeratedValue><name>X</name><value>#1x</value></enumeratedValue>\n"
               "</enumeratedValues></field></fields></register>"),
       "t.svd:11: unsupported construct 'don't-care bits in #1x'"},
      {svd_doc("<register><name>R</name><addressOffset>0</addressOffset><fields>\n"
               "<field><name>F</name><bitRange>[1:0]</bitRange><enumeratedValues derivedFrom=\"none_e\"/>\n"
               "</field></fields></register>"),
       "t.svd:10: derivedFrom 'none_e': no such enumeratedValues"},
      {svd_doc("<register><name>R</name><addressOffset>0xFFFFFFFFFFFFFFFF</addressOffset></register>"),
       "t.svd:9: address does not fit 64 bits"},
      {svd_doc("<register><name>R</name><addressOffset>0x10000000000000000</addressOffset></register>"),
       "t.svd:9: <addressOffset>: '0x10000000000000000' does not fit 64 bits"},
      // Peripherals share one flat map (found by svd_fuzz: a nameless derived peripheral
      // repeated its base's registers under the base's name).
      {"<device><peripherals>\n<peripheral><name>T0</name><baseAddress>0</baseAddress><registers>"
       "<register><name>O</name><addressOffset>0</addressOffset></register></registers></peripheral>\n"
       "<peripheral derivedFrom=\"T0\"></peripheral>\n</peripherals></device>",
       "t.svd:3: <peripheral> has no <name> of its own (derivedFrom does not give one)"},
      {"<device><peripherals>\n<peripheral><name>T0</name><baseAddress>0</baseAddress><registers>"
       "<register><name>O</name><addressOffset>0</addressOffset></register></registers></peripheral>\n"
       "<peripheral derivedFrom=\"T0\"><name>T0</name><baseAddress>0x100</baseAddress></peripheral>\n"
       "</peripherals></device>",
       "t.svd:3: peripheral 'T0' is defined twice"},
      {"<device><peripherals>\n<peripheral><name>T0</name><baseAddress>0</baseAddress><registers>"
       "<register><name>O</name><addressOffset>0</addressOffset></register></registers></peripheral>\n"
       "<peripheral derivedFrom=\"T0\"><name>T1</name><baseAddress>0x2</baseAddress></peripheral>\n"
       "</peripherals></device>",
       "t.svd:2: register 'T1.O' at 0x2 overlaps register 'T0.O' at 0x0"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(svd_error(c.text) == c.error);
  }
}

TEST_CASE("svd: scaled numbers and the # binary prefix", "[svd]") {
  const MapSpec m = parse_svd(svd_doc("<register><name>A</name><addressOffset>1k</addressOffset></register>\n"
                                      "<register><name>B</name><addressOffset>#100</addressOffset></register>\n"
                                      "<register><name>C</name><addressOffset>+0X20</addressOffset></register>"),
                              "t.svd");
  CHECK(reg(m, "A").offset == 1024);
  CHECK(reg(m, "B").offset == 4);
  CHECK(reg(m, "C").offset == 0x20);
}
