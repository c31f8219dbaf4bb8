// Guest memory: sparse pages, little-endian values, wrap at the top of the address space, the
// content hash and comparison the final-memory check uses, and the model's recording port.
#include <catch2/catch.hpp>

#include <vector>

#include <tandem/error.h>
#include <tandem/guest_memory.h>

using namespace tandem;

TEST_CASE("unwritten memory reads zero and allocates nothing", "[memory]") {
  GuestMemory m;
  CHECK(m.read(0, 8) == 0);
  CHECK(m.read(0xdead'beef'0000'1234ULL, 4) == 0);
  CHECK(m.pages() == 0);
  m.write(0x5000, 0, 8);  // zeros on an unwritten page change nothing
  CHECK(m.pages() == 0);
}

TEST_CASE("values are little-endian at every size", "[memory]") {
  GuestMemory m;
  m.write(0x100, 0x1122334455667788ULL, 8);
  CHECK(m.read(0x100, 1) == 0x88);
  CHECK(m.read(0x100, 2) == 0x7788);
  CHECK(m.read(0x104, 4) == 0x11223344);
  CHECK(m.read(0x103, 3) == 0x334455);
  m.write(0x102, 0xabcd, 2);
  CHECK(m.read(0x100, 8) == 0x11223344abcd7788ULL);
  uint8_t bytes[3];
  m.read_bytes(0x101, bytes, 3);
  CHECK(bytes[0] == 0x77);
  CHECK(bytes[1] == 0xcd);
  CHECK(bytes[2] == 0xab);
  CHECK(m.pages() == 1);
}

TEST_CASE("a write only changes the bytes of its size", "[memory]") {
  GuestMemory m;
  m.write(0x10, ~uint64_t(0), 8);
  m.write(0x12, 0x1234567800ULL, 1);  // only the low byte (0x00) lands
  CHECK(m.read(0x10, 8) == 0xffffffffff00ffffULL);
}

TEST_CASE("an access across a page boundary touches both pages", "[memory]") {
  GuestMemory m;
  const uint64_t edge = 3 * GuestMemory::kPageBytes - 3;
  m.write(edge, 0x0807060504030201ULL, 8);
  CHECK(m.pages() == 2);
  CHECK(m.read(edge, 8) == 0x0807060504030201ULL);
  CHECK(m.read(3 * GuestMemory::kPageBytes, 1) == 0x04);
}

TEST_CASE("addresses wrap at the top of the 64-bit space", "[memory]") {
  GuestMemory m;
  m.write(0xffff'ffff'ffff'fffeULL, 0xaabbccdd, 4);
  CHECK(m.read(0xffff'ffff'ffff'fffeULL, 2) == 0xccdd);
  CHECK(m.read(0, 2) == 0xaabb);
  CHECK(m.read(0xffff'ffff'ffff'fffeULL, 4) == 0xaabbccdd);
  const uint8_t in[4] = {1, 2, 3, 4};
  m.write_bytes(0xffff'ffff'ffff'ffffULL, in, 4);
  CHECK(m.read(0, 4) == 0x00040302);
}

TEST_CASE("sizes outside 1 to 8 bytes are errors", "[memory]") {
  GuestMemory m;
  CHECK_THROWS_AS(m.read(0, 0), Error);
  CHECK_THROWS_AS(m.write(0, 1, 9), Error);
}

TEST_CASE("equal contents hash equal, whatever was allocated", "[memory]") {
  GuestMemory a, b;
  CHECK(a.hash() == b.hash());
  a.write(0x2000, 0x55, 1);
  a.write(0x9000'0000, 0x1234, 2);
  b.write(0x9000'0000, 0x1234, 2);
  CHECK(a.hash() != b.hash());
  b.write(0x2000, 0x55, 1);
  CHECK(a.hash() == b.hash());
  b.write(0x7000, 1, 1);  // allocate a page, then zero it again
  b.write(0x7000, 0, 1);
  CHECK(b.pages() == 3);
  CHECK(a.hash() == b.hash());
  CHECK(a.same_contents(b));
  // The same bytes on another page are other contents.
  GuestMemory c;
  c.write(0x2000 + GuestMemory::kPageBytes, 0x55, 1);
  c.write(0x9000'0000, 0x1234, 2);
  CHECK(a.hash() != c.hash());
}

TEST_CASE("first_difference names the lowest differing byte", "[memory]") {
  GuestMemory a, b;
  CHECK_FALSE(a.first_difference(b));
  a.write(0x5003, 0x10, 1);
  b.write(0x5003, 0x10, 1);
  a.write(0x9000 + 7, 1, 1);
  b.write(0x400, 2, 1);  // only in b: a reads 0 there
  REQUIRE(a.first_difference(b));
  CHECK(*a.first_difference(b) == 0x400);
  CHECK(*b.first_difference(a) == 0x400);
  b.write(0x400, 0, 1);
  CHECK(*a.first_difference(b) == 0x9007);
  a.clear();
  CHECK(a.pages() == 0);
  CHECK(a.read(0x5003, 1) == 0);
}

TEST_CASE("the model's port reads and writes its memory and records each access", "[memory]") {
  GuestMemory mem;
  MemoryPort port(mem, 3, true);
  CHECK(port.latency() == 3);
  port.write(0x40, 0xfff1234, 2, 17);  // only the low two bytes are written and recorded
  CHECK(mem.read(0x40, 4) == 0x1234);
  CHECK(port.read(0x40, 4, 21) == 0x1234);
  REQUIRE(port.log().size() == 2);
  CHECK(port.log()[0].write);
  CHECK(port.log()[0].data == 0x1234);
  CHECK(port.log()[0].cycle == 17);
  CHECK_FALSE(port.log()[1].write);
  CHECK(port.log()[1].size == 4);
  CHECK(format_dma_access(port.log()[0]) == "write 2 bytes at 0x40 = 0x1234 (edge 17)");
  CHECK(format_dma_access(port.log()[1]) == "read 4 bytes at 0x40 -> 0x1234 (edge 21)");
  MemoryPort quiet(mem, 0, false);
  quiet.write(0x80, 1, 1, 1);
  CHECK(quiet.log().empty());
  CHECK(mem.read(0x80, 1) == 1);
}

TEST_CASE("the port counts the accesses the RTL's log expects and records the rest", "[memory]") {
  GuestMemory mem;
  mem.write(0x100, 0x1122334455667788, 8);
  MemoryPort port(mem, 0, true);
  const std::vector<DmaAccess> rtl = {
      {5, 0x100, 0x7788, 2, false}, {6, 0x108, 0xab, 1, true}, {9, 0x100, 0x1122334455667788, 8, false}};
  port.expect(&rtl, false);  // order only: a different edge still matches
  CHECK(port.read(0x100, 2, 7) == 0x7788);
  port.write(0x108, 0x1ab, 1, 6);  // masked to its byte before it is compared
  CHECK(port.matched() == 2);
  CHECK(port.log().empty());
  CHECK(port.read(0x100, 4, 9) == 0x55667788);  // a different size: recorded, and so is all after it
  CHECK(port.read(0x100, 8, 9) == 0x1122334455667788);
  CHECK(port.take_matched() == 2);
  CHECK(port.log().size() == 2);
  port.log().clear();
  port.expect(&rtl, true);  // the edge is compared too
  CHECK(port.read(0x100, 2, 5) == 0x7788);
  port.write(0x108, 0xab, 1, 7);
  CHECK(port.matched() == 1);
  REQUIRE(port.log().size() == 1);
  CHECK(port.log()[0].cycle == 7);
  port.log().clear();
  port.expect(&rtl, false);  // a page the cache does not know yet takes the slow path, same answer
  CHECK(port.read(0x7700, 2, 1) == 0);
  CHECK(port.matched() == 0);
  CHECK(port.log().size() == 1);
}

TEST_CASE("write_both writes two memories as two writes would", "[memory]") {
  GuestMemory a, b, ra, rb;
  const struct {
    uint64_t addr, value;
    unsigned size;
  } writes[] = {{0x10, 0x1122, 2}, {0x10, 0xffffffffffffffff, 1}, {0x2000, 5, 8}, {0x20fe, 0xa1b2c3d4, 4},
                {0x3000, 0, 8},    {0x10, 0x33445566, 4},         {0x2001, 7, 1}, {~uint64_t(0), 0x99aa, 2}};
  for (const auto& w : writes) {
    GuestMemory::write_both(a, b, w.addr, w.value, w.size);
    ra.write(w.addr, w.value, w.size);
    rb.write(w.addr, w.value, w.size);
  }
  a.write(0x4000, 1, 1);  // only a knows this page: the next write finds it in a's cache only
  ra.write(0x4000, 1, 1);
  GuestMemory::write_both(a, b, 0x4001, 0x77, 1);
  ra.write(0x4001, 0x77, 1);
  rb.write(0x4001, 0x77, 1);
  CHECK(a.same_contents(ra));
  CHECK(b.same_contents(rb));
  CHECK(a.read(0x10, 8) == 0x33445566);
  CHECK(b.read(0x20fe, 4) == 0xa1b2c3d4);
  CHECK(a.read(0, 1) == 0x99);
  CHECK_THROWS_AS(GuestMemory::write_both(a, b, 0x10, 1, 9), Error);
}

namespace {
// A page source whose byte at address a is the low byte of a + 1, counting its fills.
struct CountingSource final : PageSource {
  std::vector<uint64_t> filled;
  void fill(uint64_t base, uint8_t* bytes, size_t n) override {
    filled.push_back(base);
    for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(base + i + 1);
  }
};
}  // namespace

TEST_CASE("with a page source, each page is filled once on its first access and writes stay local", "[memory]") {
  GuestMemory m;
  CountingSource source;
  m.set_source(&source);
  CHECK(m.read(0x1003, 1) == 0x04);
  CHECK(m.read(0x1010, 4) == 0x14131211);
  REQUIRE(source.filled == std::vector<uint64_t>{0x1000});
  m.write(0x2004, 0xab, 1);  // a write's first touch fills the page too: its other bytes stay
  CHECK(source.filled == std::vector<uint64_t>{0x1000, 0x2000});
  CHECK(m.read(0x2003, 2) == 0xab04);
  m.write(0x3000, 0, 8);  // zeros are written as well: the source's bytes are not zero
  CHECK(m.read(0x3000, 8) == 0);
  CHECK(m.read(0x30fe, 4) == 0x020100ff);  // across into the next page, filled in turn
  CHECK(source.filled.size() == 4);
  m.clear();  // drops the pages: the next access fills again
  CHECK(m.read(0x2004, 1) == 0x05);
  CHECK(source.filled.size() == 5);
  m.set_source(nullptr);
  CHECK(m.read(0x2004, 1) == 0);
}
