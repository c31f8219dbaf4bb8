// SystemRDL reader: every construct of the documented subset elaborates to the map it states,
// and every error names file:line:col and what was wrong.
#include <catch2/catch.hpp>

#include <tandem/error.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

MapSpec rdl(const std::string& text) { return parse_rdl(text, "t.rdl"); }

std::string rdl_error(const std::string& text) {
  try {
    rdl(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// One register map with one register of `body` at 0.
MapSpec one_reg(const std::string& body) { return rdl("addrmap m { reg { " + body + " } R @0; };"); }
const FieldSpec& only_field(const MapSpec& m) { return m.registers.at(0).fields.at(0); }

const std::string kUdps =
    "property tandem_selector { type = number; component = reg | field; };\n"
    "property tandem_volatile { type = boolean; component = reg | field; default = true; };\n";

}  // namespace

// ------------------------------------------------------------------ components and placement

TEST_CASE("rdl: addrmap, reg and field with @ placement, names and widths", "[rdl]") {
  const MapSpec m = rdl(R"(
    addrmap blk {
      reg { field { sw = rw; } EN[0:0]; field { sw = r; } LEVEL[7:4]; } CTRL @0x4;
      reg { field {} VALUE[31:0]; } DATA @0x10;
    };)");
  CHECK(m.name == "blk");
  CHECK(m.source == "t.rdl");
  REQUIRE(m.registers.size() == 2);
  const RegisterSpec& ctrl = m.registers[0];
  CHECK(ctrl.name == "CTRL");
  CHECK(ctrl.offset == 0x4);
  CHECK(ctrl.width == 32);
  CHECK(ctrl.access_width == 32);
  REQUIRE(ctrl.fields.size() == 2);
  CHECK(ctrl.fields[0].name == "EN");
  CHECK(ctrl.fields[0].lsb == 0);
  CHECK(ctrl.fields[0].width == 1);
  CHECK(ctrl.fields[1].name == "LEVEL");
  CHECK(ctrl.fields[1].lsb == 4);
  CHECK(ctrl.fields[1].width == 4);
  CHECK(ctrl.fields[1].policy == AccessPolicy::ro);
  CHECK(ctrl.loc.str() == "t.rdl:3:73");
  CHECK(m.registers[1].name == "DATA");
  CHECK(m.registers[1].offset == 0x10);
}

TEST_CASE("rdl: registers without @ follow each other, aligned to their size", "[rdl]") {
  const MapSpec m = rdl(R"(
    addrmap m {
      reg { regwidth = 8; field {} a[8]; } A;
      reg { field {} b[32]; } B;
      reg { regwidth = 16; field {} c[16]; } C;
      reg { regwidth = 64; field {} d[64]; } D;
    };)");
  REQUIRE(m.registers.size() == 4);
  CHECK(m.registers[0].offset == 0x0);
  CHECK(m.registers[1].offset == 0x4);
  CHECK(m.registers[2].offset == 0x8);
  CHECK(m.registers[3].offset == 0x10);
  CHECK(m.registers[3].width == 64);
  CHECK(m.registers[3].fields[0].width == 64);
}

TEST_CASE("rdl: named definitions are instantiated many times, anonymous ones in place", "[rdl]") {
  const MapSpec m = rdl(R"(
    field flag_t { sw = rw; reset = 1; };
    reg pair_t { flag_t A[0:0]; flag_t B[1:1] = 0; };
    addrmap m {
      pair_t P0 @0x0;
      pair_t P1 @0x8;
      reg { flag_t ONLY; } Q @0xC;
    };)");
  REQUIRE(m.registers.size() == 3);
  CHECK(m.registers[1].name == "P1");
  CHECK(m.registers[1].fields[0].reset == 1u);
  CHECK(m.registers[1].fields[1].reset == 0u);  // the instance's = 0 wins over the type's reset
  CHECK(m.registers[2].fields[0].name == "ONLY");
}

TEST_CASE("rdl: arrays with @ and += stride, and the default stride", "[rdl]") {
  const MapSpec m = rdl(R"(
    reg reg_t { field {} V[7:0]; };
    addrmap m {
      reg_t R[4] @0x10 += 0x8;
      reg_t S[2];
    };)");
  REQUIRE(m.registers.size() == 6);
  CHECK(m.registers[0].name == "R[0]");
  CHECK(m.registers[0].offset == 0x10);
  CHECK(m.registers[1].offset == 0x18);
  CHECK(m.registers[3].name == "R[3]");
  CHECK(m.registers[3].offset == 0x28);
  CHECK(m.registers[4].name == "S[0]");
  CHECK(m.registers[4].offset == 0x2C);  // after the last element of R
  CHECK(m.registers[5].offset == 0x30);
}

TEST_CASE("rdl: %= aligns the next free address", "[rdl]") {
  const MapSpec m = rdl(R"(
    addrmap m {
      reg { field {} a; } A;
      reg { field {} b; } B %= 0x100;
      reg { field {} c; } C;
    };)");
  CHECK(m.registers[1].offset == 0x100);
  CHECK(m.registers[2].offset == 0x104);
}

TEST_CASE("rdl: regfiles and nested addrmaps place their registers below a path", "[rdl]") {
  const MapSpec m = rdl(R"(
    regfile chan_t {
      reg { field {} EN; } CTRL @0x0;
      reg { field {} V[15:0]; } COUNT @0x4;
    };
    addrmap sub_t { reg { field {} X; } ID @0x0; };
    addrmap top {
      chan_t ch[2] @0x100 += 0x20;
      sub_t sub @0x200;
      regfile { chan_t inner; } outer @0x300;
    };)");
  REQUIRE(m.registers.size() == 7);
  CHECK(m.name == "top");
  CHECK(m.registers[0].name == "ch[0].CTRL");
  CHECK(m.registers[0].offset == 0x100);
  CHECK(m.registers[1].name == "ch[0].COUNT");
  CHECK(m.registers[2].name == "ch[1].CTRL");
  CHECK(m.registers[2].offset == 0x120);
  CHECK(m.registers[4].name == "sub.ID");
  CHECK(m.registers[4].offset == 0x200);
  CHECK(m.registers[5].name == "outer.inner.CTRL");
  CHECK(m.registers[6].offset == 0x304);
}

TEST_CASE("rdl: the top is the last addrmap nobody instantiates, or the one asked for", "[rdl]") {
  const std::string text = R"(
    addrmap a { reg { field {} x; } X @0; };
    addrmap b { a inst @0x10; };
    addrmap c { reg { field {} y; } Y @4; };
    )";
  CHECK(parse_rdl(text, "t.rdl").name == "c");
  const MapSpec b = parse_rdl(text, "t.rdl", "b");
  CHECK(b.registers.at(0).name == "inst.X");
  CHECK(b.registers.at(0).offset == 0x10);
  CHECK(parse_rdl(text, "t.rdl", "a").registers.at(0).name == "X");
}

// ------------------------------------------------------------------ fields

TEST_CASE("rdl: bit ranges [7:4] and [9:9], f[4] is a width, placed after the previous field", "[rdl]") {
  // SystemRDL: `f[N]` gives a width, not a position; one bit at a position is [N:N].
  const MapSpec m = one_reg("field {} A[7:4]; field {} B[9:9]; field {} C[4]; field {} D; field {} E[2];");
  const RegisterSpec& r = m.registers[0];
  REQUIRE(r.fields.size() == 5);
  CHECK(r.fields[0].name == "A");
  CHECK(r.fields[0].lsb == 4);
  CHECK(r.fields[0].width == 4);
  CHECK(r.field("B")->lsb == 9);
  CHECK(r.field("B")->width == 1);
  CHECK(r.field("C")->lsb == 10);
  CHECK(r.field("C")->width == 4);
  CHECK(r.field("D")->lsb == 14);
  CHECK(r.field("D")->width == 1);
  CHECK(r.field("E")->lsb == 15);
  CHECK(r.field("E")->width == 2);
  // Fields are kept in bit order whatever order they were written in.
  const MapSpec backwards = one_reg("field {} HI[31:16]; field {} LO[3:0];");
  CHECK(backwards.registers[0].fields[0].name == "LO");
}

TEST_CASE("rdl: sw, hw, onread, onwrite and the shorthands give the access policy", "[rdl]") {
  struct Case {
    const char* props;
    AccessPolicy policy;
  };
  const Case cases[] = {
      {"", AccessPolicy::rw},
      {"sw = rw;", AccessPolicy::rw},
      {"sw = wr;", AccessPolicy::rw},
      {"sw = r;", AccessPolicy::ro},
      {"sw = w;", AccessPolicy::wo},
      {"sw = r; onread = rclr;", AccessPolicy::rc},
      {"sw = r; rclr;", AccessPolicy::rc},
      {"sw = r; onread = rset;", AccessPolicy::rs},
      {"sw = r; rset = true;", AccessPolicy::rs},
      {"rclr;", AccessPolicy::wrc},
      {"onread = rset;", AccessPolicy::wrs},
      {"onwrite = wclr;", AccessPolicy::wc},
      {"onwrite = wset;", AccessPolicy::ws},
      {"onwrite = wset; rclr;", AccessPolicy::wsrc},
      {"onwrite = wclr; rset;", AccessPolicy::wcrs},
      {"onwrite = woclr;", AccessPolicy::w1c},
      {"woclr;", AccessPolicy::w1c},
      {"woclr = true;", AccessPolicy::w1c},
      {"onwrite = woset;", AccessPolicy::w1s},
      {"woset;", AccessPolicy::w1s},
      {"onwrite = wot;", AccessPolicy::w1t},
      {"onwrite = wzc;", AccessPolicy::w0c},
      {"onwrite = wzs;", AccessPolicy::w0s},
      {"onwrite = wzt;", AccessPolicy::w0t},
      {"woset; rclr;", AccessPolicy::w1src},
      {"woclr; onread = rset;", AccessPolicy::w1crs},
      {"onwrite = wzs; onread = rclr;", AccessPolicy::w0src},
      {"onwrite = wzc; rset;", AccessPolicy::w0crs},
      {"sw = w1;", AccessPolicy::w1},
      {"sw = rw1;", AccessPolicy::rw1},
      {"woclr = false;", AccessPolicy::rw},
  };
  for (const Case& c : cases) {
    INFO(c.props);
    const FieldSpec f =
        only_field(one_reg(std::string("field { ") + c.props + " } F;"));  // a copy: the map is a temporary
    CHECK(f.policy == c.policy);
    CHECK(classify(f.access) == c.policy);
  }
  CHECK(only_field(one_reg("field { hw = w; } F;")).hw == HwAccess::w);
  CHECK(only_field(one_reg("field { hw = na; } F;")).hw == HwAccess::na);
  CHECK(only_field(one_reg("field { } F;")).hw == HwAccess::rw);
}

TEST_CASE("rdl: reset as a property, as = value, absent, and in the register's value", "[rdl]") {
  const MapSpec m = one_reg("field { reset = 0x3; } A[1:0]; field {} B[7:4] = 0xA; field {} C[8:8]; ");
  const RegisterSpec& r = m.registers[0];
  CHECK(r.field("A")->reset == 3u);
  CHECK(r.field("B")->reset == 0xAu);
  CHECK_FALSE(r.field("C")->reset);
  CHECK(r.reset() == 0xA3);
  CHECK(r.reset_mask() == 0xF3);
  CHECK(only_field(one_reg("field {} F[3:0] = 4'hC;")).reset == 0xCu);
  CHECK(only_field(one_reg("field {} F[7:0] = 8'b1010_0101;")).reset == 0xA5u);
  CHECK(only_field(one_reg("field {} F[7:0] = 8'd200;")).reset == 200u);
  CHECK(only_field(one_reg("field {} F[7:0] = 8'o17;")).reset == 017u);
}

TEST_CASE("rdl: name and desc on every level", "[rdl]") {
  const MapSpec m = rdl(R"(
    addrmap m {
      name = "My block"; desc = "what it does";
      reg { name = "Control"; desc = "control \"register\"";
        field { name = "Enable"; desc = "turns
it on"; } EN;
      } CTRL;
    };)");
  CHECK(m.display_name == "My block");
  CHECK(m.desc == "what it does");
  CHECK(m.registers[0].display_name == "Control");
  CHECK(m.registers[0].desc == "control \"register\"");
  CHECK(m.registers[0].fields[0].display_name == "Enable");
  CHECK(m.registers[0].fields[0].desc == "turns\nit on");
}

TEST_CASE("rdl: enum with encode, explicit and following values, entry name and desc", "[rdl]") {
  const MapSpec m = rdl(R"(
    enum mode_e {
      OFF = 0 { name = "Off"; desc = "nothing runs"; };
      SLOW;
      FAST = 2'd3;
    };
    addrmap m { reg { field { encode = mode_e; } MODE[1:0]; } CTRL; };)");
  const FieldSpec& f = only_field(m);
  CHECK(f.enum_name == "mode_e");
  REQUIRE(f.enum_values.size() == 3);
  CHECK(f.enum_values[0].name == "OFF");
  CHECK(f.enum_values[0].value == 0);
  CHECK(f.enum_values[0].display_name == "Off");
  CHECK(f.enum_values[0].desc == "nothing runs");
  CHECK(f.enum_values[1].name == "SLOW");
  CHECK(f.enum_values[1].value == 1);
  CHECK(f.enum_values[2].value == 3);
  // An entry is a value: ENUM::ENTRY.
  const MapSpec r = rdl("enum e { A = 1; B = 2; };\naddrmap m { reg { field { encode = e; } F[1:0] = e::B; } R; };");
  CHECK(only_field(r).reset == 2u);
  CHECK(rdl_error("enum e { A = 1; };\naddrmap m { reg { field {} F[1:0] = e::C; } R; };") ==
        "t.rdl:2:40: enum 'e' has no entry 'C'");
  CHECK(rdl_error("addrmap m { reg { field {} F[1:0] = x::C; } R; };") == "t.rdl:1:37: unknown enum 'x'");
}

TEST_CASE("rdl: regwidth and accesswidth", "[rdl]") {
  const MapSpec m = rdl("addrmap m { reg { regwidth = 64; accesswidth = 32; field {} V[63:0]; } WIDE; };");
  CHECK(m.registers[0].width == 64);
  CHECK(m.registers[0].access_width == 32);
  CHECK(m.registers[0].bytes() == 8);
}

TEST_CASE("rdl: ispresent = false removes a register, a field, a regfile", "[rdl]") {
  const MapSpec m = rdl(R"(
    addrmap m {
      reg { field {} a; field { ispresent = false; } gone[4:4]; } A @0;
      reg { ispresent = false; field {} b; } B @4;
      regfile { ispresent = false; reg { field {} c; } C; } RF @8;
    };)");
  REQUIRE(m.registers.size() == 1);
  CHECK(m.registers[0].fields.size() == 1);
}

TEST_CASE("rdl: donttest and dontcompare, as booleans, bit masks and inherited", "[rdl]") {
  const MapSpec m = rdl(R"(
    addrmap m {
      reg { field { donttest; } A[3:0]; field { dontcompare = 0x2; } B[7:4]; } R0 @0;
      reg { donttest = 0xF0; field {} C[7:0]; } R1 @4;
      regfile { dontcompare = true; reg { field {} D[1:0]; } R2; } RF @8;
    };)");
  CHECK(m.registers[0].fields[0].donttest == 0xF);
  CHECK(m.registers[0].fields[1].dontcompare == 0x2);
  CHECK(m.registers[1].fields[0].donttest == 0xF0);
  CHECK(m.registers[2].fields[0].dontcompare == 0x3);
  const RegisterMap map = to_register_map(m);
  CHECK(map.registers[0].donttest_mask == 0xF);
  CHECK(map.registers[0].dontcompare_mask == 0x20);
  CHECK(map.registers[1].donttest_mask == 0xF0);
}

TEST_CASE("rdl: default assignments reach later definitions in scope, explicit wins", "[rdl]") {
  const MapSpec m = rdl(R"(
    field early_t {};
    default sw = r;
    default regwidth = 16;
    addrmap m {
      default reset = 0x1;
      reg { field {} A; field { sw = rw; } B; early_t E; } R0;
      regfile {
        default onwrite = wot;
        default sw = rw;  // an inner default overrides an outer one
        reg { field {} D; field { woset; } F; } R1;
      } RF;
    };)");
  const RegisterSpec& r0 = m.registers[0];
  CHECK(r0.width == 16);
  CHECK(r0.field("A")->policy == AccessPolicy::ro);
  CHECK(r0.field("A")->reset == 1u);
  CHECK(r0.field("B")->policy == AccessPolicy::rw);
  CHECK(r0.field("E")->policy == AccessPolicy::rw);  // defined before the default
  CHECK_FALSE(r0.field("E")->reset);
  const RegisterSpec& r1 = m.registers[1];
  CHECK(r1.name == "RF.R1");
  CHECK(r1.field("D")->policy == AccessPolicy::w1t);
  CHECK(r1.field("D")->reset == 1u);
  CHECK(r1.field("F")->policy == AccessPolicy::w1s);  // explicit woset beats the default onwrite
}

TEST_CASE("rdl: user-defined properties carry tandem's hints", "[rdl]") {
  const MapSpec m = rdl(kUdps + R"(
    property doc_url { type = string; component = addrmap | reg; };
    addrmap m {
      doc_url = "https://example.com/m";
      reg { tandem_selector = 4; field {} SEL[1:0]; } SELECT @0;
      reg { tandem_volatile; field {} V[7:0]; } STATUS @4;
      reg { field { tandem_volatile = false; } X; } PLAIN @8;
    };)");
  CHECK(m.properties.at("doc_url").text == "https://example.com/m");
  CHECK(m.registers[0].properties.at("tandem_selector").number == 4);
  CHECK(m.registers[1].properties.at("tandem_volatile").boolean);  // the property's default
  CHECK_FALSE(m.registers[2].fields[0].properties.at("tandem_volatile").boolean);
  const auto hints = selector_hints(m);
  REQUIRE(hints.size() == 1);
  CHECK(hints[0].reg == "SELECT");
  CHECK(hints[0].count == 4);
  const RegisterMap map = to_register_map(m);
  CHECK_FALSE(map.registers[0].is_volatile);
  CHECK(map.registers[1].is_volatile);
  CHECK_FALSE(map.registers[2].is_volatile);
}

TEST_CASE("rdl: constant expressions, sized literals, comments and escaped names", "[rdl]") {
  const MapSpec m = rdl(R"(
    // line comment
    /* block
       comment */
    addrmap m {
      reg { field {} \reg [(1 << 3) - 1 : 2 * 2]; } A @ 0x10 + 4 * 2;
      reg { field {} x; } B @ (0x100 | 0x20) & ~0xF;
    };)");
  CHECK(m.registers[0].offset == 0x18);
  CHECK(m.registers[0].fields[0].name == "reg");
  CHECK(m.registers[0].fields[0].lsb == 4);
  CHECK(m.registers[0].fields[0].width == 4);
  CHECK(m.registers[1].offset == 0x120);
}

// ------------------------------------------------------------------ the engine's view

TEST_CASE("rdl: to_register_map gives names, resets, write masks and coarse access", "[rdl]") {
  const MapSpec m = rdl(kUdps + R"(
    addrmap m {
      reg { field { sw = r; } A[3:0] = 5; field { woclr; } B[8:8] = 1; field { sw = w; } C[9:9]; } S @0x4;
      reg { field { sw = r; } X[7:0]; } ID @0x0;
    };)");
  const RegisterMap map = to_register_map(m);
  REQUIRE(map.registers.size() == 2);
  CHECK(map.name == "m");
  CHECK(map.registers[0].name == "ID");
  CHECK(map.registers[0].access == Access::ro);
  CHECK(map.registers[0].write_mask == 0);
  const Register& s = map.registers[1];
  CHECK(s.offset == 0x4);
  CHECK(s.reset == 0x105);
  CHECK(s.reset_mask == 0x10F);
  CHECK(s.write_mask == 0x300);
  CHECK(s.access == Access::w1c);
  REQUIRE(s.fields.size() == 3);
  CHECK(s.fields[1].access == Access::w1c);
  CHECK(s.fields[1].policy == AccessPolicy::w1c);
  CHECK(s.fields[2].access == Access::wo);
  CHECK(map.describe(0x6) == "S+0x2");
}

TEST_CASE("seldev.rdl states exactly the map of the seldev binding", "[rdl][seldev]") {
  const MapSpec spec = load_rdl(std::string(TANDEM_SOURCE_DIR) + "/devices/seldev/seldev.rdl");
  const RegisterMap from_rdl = to_register_map(spec);
  const RegisterMap& bound = test_catalog().get("seldev").regmap;
  CHECK(from_rdl.name == bound.name);
  REQUIRE(from_rdl.registers.size() == bound.registers.size());
  for (size_t i = 0; i < bound.registers.size(); ++i) {
    const Register& want = bound.registers[i];
    const Register& got = from_rdl.registers[i];
    INFO(want.name);
    CHECK(got.name == want.name);
    CHECK(got.offset == want.offset);
    CHECK(got.width == want.width);
    CHECK(got.access == want.access);
    CHECK(got.write_mask == want.write_mask);
    CHECK(got.is_volatile == want.is_volatile);
    CHECK(got.desc == want.desc);
    CHECK(got.reset == want.reset);  // ID included: 0x5E1D0004, what the RTL reads after reset
    REQUIRE(got.fields.size() == want.fields.size());
    for (size_t f = 0; f < want.fields.size(); ++f) {
      INFO(want.fields[f].name);
      CHECK(got.fields[f].name == want.fields[f].name);
      CHECK(got.fields[f].lsb == want.fields[f].lsb);
      CHECK(got.fields[f].width == want.fields[f].width);
      CHECK(got.fields[f].access == want.fields[f].access);
    }
  }
  const auto hints = selector_hints(spec);
  const auto& bound_hints = test_catalog().get("seldev").hints.selectors;
  REQUIRE(hints.size() == bound_hints.size());
  CHECK(hints[0].reg == bound_hints[0].reg);
  CHECK(hints[0].count == bound_hints[0].count);
  const FieldSpec* op = spec.reg("U_CFG")->field("OP");
  REQUIRE(op->enum_values.size() == 4);
  CHECK(op->enum_values[2].name == "CRC32");
  CHECK(spec.reg("STATUS")->field("DONE")->policy == AccessPolicy::w1c);
}

// ------------------------------------------------------------------ errors: outside the subset

TEST_CASE("rdl: constructs outside the subset are named with file:line:col", "[rdl][errors]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"signal { } s;", "t.rdl:1:1: unsupported construct 'signal'"},
      {"addrmap m {\n  mem { } M;\n};", "t.rdl:2:3: unsupported construct 'mem'"},
      {"addrmap m {\n  external reg { field {} a; } R;\n};", "t.rdl:2:3: unsupported construct 'external'"},
      {"addrmap m { reg { field {} a; } R; alias R R2; };", "t.rdl:1:36: unsupported construct 'alias'"},
      {"constraint c { };", "t.rdl:1:1: unsupported construct 'constraint'"},
      {"struct s { };", "t.rdl:1:1: unsupported construct 'struct'"},
      {"`include \"x.rdl\"", "t.rdl:1:1: unsupported construct '`include'"},
      {"addrmap m {\n  <% for %>\n};", "t.rdl:2:3: unsupported construct '<%'"},
      {"addrmap m { reg { field {} a; } R; R->name = \"x\"; };",
       "t.rdl:1:36: unsupported construct 'dynamic property assignment'"},
      {"addrmap m { reg { field {} a; } R; R.a->reset = 1; };",
       "t.rdl:1:36: unsupported construct 'dynamic property assignment'"},
      {"reg r_t #(longint W = 8) { field {} a; };", "t.rdl:1:9: unsupported construct 'parameterized component'"},
      {"addrmap m { reg { field { hwset; } a; } R; };", "t.rdl:1:27: unsupported construct 'hwset'"},
      {"addrmap m { reg { field { singlepulse; } a; } R; };", "t.rdl:1:27: unsupported construct 'singlepulse'"},
      {"addrmap m { addressing = compact; };", "t.rdl:1:13: unsupported construct 'addressing'"},
      {"addrmap m { reg { field { onread = ruser; } a; } R; };", "t.rdl:1:36: unsupported construct 'ruser'"},
      {"addrmap m { reg { field { onwrite = wuser; } a; } R; };", "t.rdl:1:37: unsupported construct 'wuser'"},
      {"addrmap m { reg { field {} a[0:3]; } R; };", "t.rdl:1:29: unsupported construct 'msb0 bit range'"},
      {"reg r_t { field {} a; };\naddrmap m { r_t R[2][2]; };",
       "t.rdl:2:21: unsupported construct 'multi-dimensional array'"},
      {"addrmap m { reg { field {} a; } R @ 1 == 1; };", "t.rdl:1:39: unsupported construct 'operator =='"},
      {"property p { type = ref; component = reg; };", "t.rdl:1:21: unsupported construct 'property type ref'"},
      {"property p { type = number; component = signal; };", "t.rdl:1:41: unsupported construct 'signal'"},
      {"addrmap m { reg { field {} a = 'h1; } R; };", "t.rdl:1:32: unsupported construct 'unsized literal'"},
      {"addrmap m { reg { field { hw = w1; } a; } R; };", "t.rdl:1:32: unsupported construct 'hw = w1'"},
      {"addrmap m { reg { field {} a = 72'h1; } R; };",
       "t.rdl:1:32: unsupported construct 'number wider than 64 bits'"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(rdl_error(c.text) == c.error);
  }
}

// ------------------------------------------------------------------ errors: meaning

TEST_CASE("rdl: layout errors name both parties and the later one's place", "[rdl][errors]") {
  CHECK(rdl_error("addrmap m {\n  reg { field {} a[3:0]; field {} b[4:2]; } R;\n};") ==
        "t.rdl:2:35: field 'b' [4:2] overlaps field 'a' [3:0]");
  CHECK(rdl_error("addrmap m {\n  reg { field {} a; } A @0x4;\n  reg { field {} b; } B @0x6;\n};") ==
        "t.rdl:3:23: register 'B' at 0x6..0x9 overlaps register 'A' at 0x4..0x7");
  CHECK(rdl_error("reg r_t { field {} v[31:0]; };\naddrmap m { r_t R[2] @0 += 2; };") ==
        "t.rdl:2:17: register 'R[1]' at 0x2..0x5 overlaps register 'R[0]' at 0x0..0x3");
  CHECK(rdl_error("addrmap m { reg { field {} a[32:31]; } R; };") ==
        "t.rdl:1:28: field 'a' [32:31] does not fit the 32-bit register");
  CHECK(rdl_error("addrmap m { reg { regwidth = 8; field {} a[4]; field {} b[5]; } R; };") ==
        "t.rdl:1:57: field 'b' [8:4] does not fit the 8-bit register");
  CHECK(rdl_error("addrmap m { reg { field {} a[3:0] = 0x10; } R; };") ==
        "t.rdl:1:37: reset 0x10 does not fit field 'a' (4 bits)");
  CHECK(rdl_error("addrmap m { reg { field { reset = 2; } a; } R; };") ==
        "t.rdl:1:35: reset 0x2 does not fit field 'a' (1 bits)");
  CHECK(rdl_error("enum e { A = 4; };\naddrmap m { reg { field { encode = e; } f[1:0]; } R; };") ==
        "t.rdl:2:27: enum 'e' value A = 0x4 does not fit field 'f' (2 bits)");
  CHECK(rdl_error("addrmap m { reg { field { donttest = 0x4; } f[1:0]; } R; };") ==
        "t.rdl:1:38: donttest mask 0x4 does not fit field 'f' (2 bits)");
  CHECK(rdl_error("addrmap m { reg { } R; };") == "t.rdl:1:21: register 'R' has no fields");
  CHECK(rdl_error("addrmap m { regfile { } RF; };") == "t.rdl:1:25: regfile 'RF' contains no registers");
}

TEST_CASE("rdl: access combinations that are not a policy are refused", "[rdl][errors]") {
  CHECK(rdl_error("addrmap m { reg { field { sw = r; woclr; } f; } R; };") ==
        "t.rdl:1:44: field 'f': sw=r onwrite=woclr is not an access policy tandem models");
  CHECK(rdl_error("addrmap m { reg { field { sw = w; rclr; } f; } R; };") ==
        "t.rdl:1:43: field 'f': sw=w onread=rclr is not an access policy tandem models");
  CHECK(rdl_error("addrmap m { reg { field { sw = na; } f; } R; };") ==
        "t.rdl:1:38: field 'f': sw=na is not an access policy tandem models");
  CHECK(rdl_error("addrmap m { reg { field { rclr; rset; } f; } R; };") ==
        "t.rdl:1:33: 'rset' conflicts with 'rclr' at t.rdl:1:27");
  CHECK(rdl_error("addrmap m { reg { field { onwrite = woclr; woset; } f; } R; };") ==
        "t.rdl:1:44: 'woset' conflicts with 'onwrite' at t.rdl:1:27");
}

TEST_CASE("rdl: unknown names and misplaced things", "[rdl][errors]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"addrmap m {\n  reg_t R;\n};", "t.rdl:2:3: unknown component type 'reg_t'"},
      {"addrmap m { reg { field { colour = 1; } f; } R; };", "t.rdl:1:27: unknown property 'colour'"},
      {"addrmap m { reg { field { encode = nope; } f; } R; };", "t.rdl:1:36: unknown enum 'nope'"},
      {"addrmap m { reg { field {} f; } R @ WIDTH; };",
       "t.rdl:1:37: unknown identifier 'WIDTH' in an expression (parameters are not supported)"},
      {"addrmap m { reg { sw = rw; field {} f; } R; };", "t.rdl:1:19: property 'sw' does not apply to a reg"},
      {"addrmap m { regwidth = 32; };", "t.rdl:1:13: property 'regwidth' does not apply to a addrmap"},
      {"addrmap m { reg { field { sw = 5; } f; } R; };",
       "t.rdl:1:32: property 'sw' expects an access type (rw, r, w, rw1, w1, na), found 0x5"},
      {"addrmap m { reg { field { onwrite = rclr; } f; } R; };",
       "t.rdl:1:37: property 'onwrite' expects woset, woclr, wot, wzs, wzc, wzt, wclr or wset, found 'rclr'"},
      {"addrmap m { reg { field { reset = \"x\"; } f; } R; };",
       "t.rdl:1:35: property 'reset' expects a number, found a string"},
      {"addrmap m { name = 5; };", "t.rdl:1:20: property 'name' expects a string, found 0x5"},
      {"addrmap m { reg { field { woclr = 2; } f; } R; };",
       "t.rdl:1:35: property 'woclr' expects true or false, found 0x2"},
      {"addrmap m { reg { field { reset; } f; } R; };", "t.rdl:1:27: property 'reset' needs a value"},
      {"addrmap m { reg { field { sw = r; sw = w; } f; } R; };",
       "t.rdl:1:35: property 'sw' is already assigned at t.rdl:1:27"},
      {"addrmap m { reg { field {} f; field {} f; } R; };",
       "t.rdl:1:40: 'f' is already an instance in this reg (t.rdl:1:28)"},
      {"reg a { field {} f; };\nreg a { field {} g; };", "t.rdl:2:5: 'a' is already defined at t.rdl:1:1"},
      {"addrmap m { field { } f; };", "t.rdl:1:23: a field cannot be instantiated in a addrmap"},
      {"addrmap m { reg { reg { field {} f; } R; } Q; };", "t.rdl:1:39: a reg cannot be instantiated in a reg"},
      {"addrmap m { reg { field {} f; }; };", "t.rdl:1:32: an anonymous reg needs an instance name"},
      {"reg { field {} f; } R;", "t.rdl:1:21: an instance belongs inside a component definition"},
      {"sw = rw;", "t.rdl:1:1: a property assignment belongs inside a component definition"},
      {"addrmap m { property p { type = number; component = reg; }; };",
       "t.rdl:1:13: a property definition belongs at the top level"},
      {"addrmap m { reg { field {} f; } R += 4; };", "t.rdl:1:35: a stride (+=) needs an array instance"},
      {"addrmap m { reg { field {} f @4; } R; };", "t.rdl:1:30: a field is placed by its bit range, not by an address"},
      {"addrmap m { reg { field {} f; } R = 1; };", "t.rdl:1:35: only a field takes a reset value (= value)"},
      {"addrmap m { reg { field {} f; } R[0]; };", "t.rdl:1:34: an array needs at least one element"},
      {"addrmap m { reg { field {} f[0]; } R; };", "t.rdl:1:29: field width 0 is not between 1 and 64"},
      {"addrmap m { reg { field {} f; } R @ 4 / 0; };", "t.rdl:1:39: division by zero"},
      {"addrmap m { reg { field {} f; } R %= 3; };", "t.rdl:1:35: alignment 0x3 is not a power of two"},
      {"addrmap m { reg { regwidth = 24; field {} f; } R; };",
       "t.rdl:1:30: regwidth 24 is not a power of two between 8 and 64"},
      {"addrmap m { reg { regwidth = 128; field {} f; } R; };",
       "t.rdl:1:30: regwidth 128 is not a power of two between 8 and 64"},
      {"addrmap m { reg { regwidth = 16; accesswidth = 32; field {} f; } R; };",
       "t.rdl:1:48: accesswidth 32 is above the regwidth 16"},
      {"enum e { A = 1; B = 1; };", "t.rdl:1:17: enum entries 'A' and 'B' have the same value 0x1"},
      {"enum e { A; A; };", "t.rdl:1:13: enum entry 'A' is defined twice"},
      {"enum e { A { colour = \"red\"; }; };", "t.rdl:1:14: an enum entry takes only name and desc, not 'colour'"},
      {"property sw { type = number; component = reg; };",
       "t.rdl:1:10: 'sw' is a SystemRDL property; a user-defined property needs another name"},
      {"property p { type = number; };", "t.rdl:1:10: property 'p' needs a component"},
      {"property p { component = reg; };", "t.rdl:1:10: property 'p' needs a type"},
      {"property p { type = number; component = reg; };\naddrmap m { reg { p; field {} f; } R; };",
       "t.rdl:2:19: property 'p' needs a value (it has no default)"},
      {"property p { type = boolean; component = field; };\naddrmap m { reg { p = true; field {} f; } R; };",
       "t.rdl:2:19: property 'p' does not apply to a reg"},
      {"property p { type = number; component = reg; };\naddrmap m { reg { p = \"x\"; field {} f; } R; };",
       "t.rdl:2:23: property 'p' expects a number, found a string"},
      {"property p { type = number; component = regfile; };\n"
       "addrmap m { regfile { p = 1; reg { field {} f; } R; } RF; };",
       "t.rdl:2:23: unsupported construct 'user property on a nested regfile'"},
      {"", "t.rdl:1:1: no addrmap is defined"},
      {"reg r { field {} f; };", "t.rdl:1:1: no addrmap is defined"},
      {"addrmap m { reg { field {} f; } R }", "t.rdl:1:35: expected ';' after an instance, found '}'"},
      {"addrmap m {\n reg { field {} f; } R;\n", "t.rdl:1:1: addrmap body is never closed"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(rdl_error(c.text) == c.error);
  }
  CHECK_THROWS_WITH(parse_rdl("addrmap a { reg { field {} f; } R; };", "t.rdl", "b"),
                    "t.rdl:1:1: no top-level addrmap named 'b'");
}

TEST_CASE("rdl: lexical errors", "[rdl][errors]") {
  CHECK(rdl_error("addrmap m { name = \"open; };") == "t.rdl:1:20: unterminated string");
  CHECK(rdl_error("addrmap m { /* never closed };") == "t.rdl:1:13: unterminated comment");
  CHECK(rdl_error("addrmap m { $ };") == "t.rdl:1:13: unexpected character '$'");
  CHECK(rdl_error(std::string("addrmap m { \x01 };")) == "t.rdl:1:13: unexpected byte 0x01");
  CHECK(rdl_error("addrmap m { reg { field {} f; } R @ 0x1_0000_0000_0000_0000; };") ==
        "t.rdl:1:37: number does not fit 64 bits");
  CHECK(rdl_error("addrmap m { reg { field {} f[3:0] = 4'h1F; } R; };") ==
        "t.rdl:1:37: value 0x1f does not fit the literal's 4 bits");
  CHECK(rdl_error("addrmap m { reg { field {} f[3:0] = 4'q1; } R; };") ==
        "t.rdl:1:37: expected a base (b, o, d or h) after ' in a sized number");
  CHECK(rdl_error("addrmap m { reg { field {} f[3:0] = 4'b102; } R; };") ==
        "t.rdl:1:37: bad digit '2' in a base-2 number");
  CHECK(rdl_error("addrmap m { reg { field {} f; } R @ 12abc; };") == "t.rdl:1:37: bad digit 'a' in a base-10 number");
}

TEST_CASE("rdl: limits stop inputs that would exhaust the reader", "[rdl][errors]") {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "addrmap { ";
  CHECK(rdl_error(deep) == "t.rdl:1:321: components nested deeper than 32");

  std::string chain = "regfile r0 { reg { field {} f; } R; };\n";
  for (int i = 1; i < 70; ++i) chain += "regfile r" + std::to_string(i) + " { r" + std::to_string(i - 1) + " x; };\n";
  chain += "addrmap m { r69 top; };";
  CHECK(rdl_error(chain) == "t.rdl:6:1: hierarchy deeper than 64 levels");

  CHECK(rdl_error("reg r { field {} f; };\nregfile b { r x[65536]; };\naddrmap m { b y[2]; };") ==
        "t.rdl:3:15: more than 65536 registers");
  CHECK(rdl_error("addrmap m { reg { field {} f; } R[70000]; };") ==
        "t.rdl:1:34: an array of 70000 elements is above the limit 65536");
  CHECK(
      rdl_error("addrmap m { reg { field {} f; } R @ ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
                "(1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))); };") ==
      "t.rdl:1:101: expression nested deeper than 64");
  CHECK(rdl_error("addrmap m { reg { field {} f; } R @ 0xFFFFFFFFFFFFFFFE; };") ==
        "t.rdl:1:33: address does not fit 64 bits");
}
