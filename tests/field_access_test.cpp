// Field access policies: the (sw, onread, onwrite) triple classifies into exactly one named
// policy, and each policy's read and write effect is exact (a read returns the value before
// its side effect).
#include <catch2/catch.hpp>

#include <set>

#include <tandem/field_access.h>

using namespace tandem;

namespace {

constexpr AccessPolicy kAll[] = {AccessPolicy::rw,    AccessPolicy::ro,    AccessPolicy::wo,    AccessPolicy::rc,
                                 AccessPolicy::rs,    AccessPolicy::wrc,   AccessPolicy::wrs,   AccessPolicy::wc,
                                 AccessPolicy::ws,    AccessPolicy::wsrc,  AccessPolicy::wcrs,  AccessPolicy::w1c,
                                 AccessPolicy::w1s,   AccessPolicy::w1t,   AccessPolicy::w0c,   AccessPolicy::w0s,
                                 AccessPolicy::w0t,   AccessPolicy::w1src, AccessPolicy::w1crs, AccessPolicy::w0src,
                                 AccessPolicy::w0crs, AccessPolicy::w1,    AccessPolicy::rw1};

// One row of the specification: a 4-bit field holding 0b1010.
struct Expect {
  AccessPolicy policy;
  const char* name;
  AccessTriple triple;
  uint64_t read_data;    // what a read returns
  uint64_t after_read;   // the field after that read
  uint64_t after_write;  // the field after writing 0b0110
};

constexpr uint64_t kValue = 0xA, kData = 0x6;

const Expect kTable[] = {
    {AccessPolicy::rw, "RW", {SwAccess::rw, OnRead::none, OnWrite::none}, 0xA, 0xA, 0x6},
    {AccessPolicy::ro, "RO", {SwAccess::r, OnRead::none, OnWrite::none}, 0xA, 0xA, 0xA},
    {AccessPolicy::wo, "WO", {SwAccess::w, OnRead::none, OnWrite::none}, 0x0, 0xA, 0x6},
    {AccessPolicy::rc, "RC", {SwAccess::r, OnRead::rclr, OnWrite::none}, 0xA, 0x0, 0xA},
    {AccessPolicy::rs, "RS", {SwAccess::r, OnRead::rset, OnWrite::none}, 0xA, 0xF, 0xA},
    {AccessPolicy::wrc, "WRC", {SwAccess::rw, OnRead::rclr, OnWrite::none}, 0xA, 0x0, 0x6},
    {AccessPolicy::wrs, "WRS", {SwAccess::rw, OnRead::rset, OnWrite::none}, 0xA, 0xF, 0x6},
    {AccessPolicy::wc, "WC", {SwAccess::rw, OnRead::none, OnWrite::wclr}, 0xA, 0xA, 0x0},
    {AccessPolicy::ws, "WS", {SwAccess::rw, OnRead::none, OnWrite::wset}, 0xA, 0xA, 0xF},
    {AccessPolicy::wsrc, "WSRC", {SwAccess::rw, OnRead::rclr, OnWrite::wset}, 0xA, 0x0, 0xF},
    {AccessPolicy::wcrs, "WCRS", {SwAccess::rw, OnRead::rset, OnWrite::wclr}, 0xA, 0xF, 0x0},
    {AccessPolicy::w1c, "W1C", {SwAccess::rw, OnRead::none, OnWrite::woclr}, 0xA, 0xA, 0x8},
    {AccessPolicy::w1s, "W1S", {SwAccess::rw, OnRead::none, OnWrite::woset}, 0xA, 0xA, 0xE},
    {AccessPolicy::w1t, "W1T", {SwAccess::rw, OnRead::none, OnWrite::wot}, 0xA, 0xA, 0xC},
    {AccessPolicy::w0c, "W0C", {SwAccess::rw, OnRead::none, OnWrite::wzc}, 0xA, 0xA, 0x2},
    {AccessPolicy::w0s, "W0S", {SwAccess::rw, OnRead::none, OnWrite::wzs}, 0xA, 0xA, 0xB},
    {AccessPolicy::w0t, "W0T", {SwAccess::rw, OnRead::none, OnWrite::wzt}, 0xA, 0xA, 0x3},
    {AccessPolicy::w1src, "W1SRC", {SwAccess::rw, OnRead::rclr, OnWrite::woset}, 0xA, 0x0, 0xE},
    {AccessPolicy::w1crs, "W1CRS", {SwAccess::rw, OnRead::rset, OnWrite::woclr}, 0xA, 0xF, 0x8},
    {AccessPolicy::w0src, "W0SRC", {SwAccess::rw, OnRead::rclr, OnWrite::wzs}, 0xA, 0x0, 0xB},
    {AccessPolicy::w0crs, "W0CRS", {SwAccess::rw, OnRead::rset, OnWrite::wzc}, 0xA, 0xF, 0x2},
    {AccessPolicy::w1, "W1", {SwAccess::w1, OnRead::none, OnWrite::none}, 0x0, 0xA, 0x6},
    {AccessPolicy::rw1, "RW1", {SwAccess::rw1, OnRead::none, OnWrite::none}, 0xA, 0xA, 0x6},
};

}  // namespace

TEST_CASE("every policy has its triple, its name and exact read and write effects", "[access]") {
  for (const Expect& e : kTable) {
    INFO(e.name);
    CHECK(std::string(policy_name(e.policy)) == e.name);
    CHECK(triple_of(e.policy) == e.triple);
    CHECK(classify(e.triple) == e.policy);

    const FieldAccess r = field_read(e.policy, {kValue, false}, 4);
    CHECK(r.read == e.read_data);
    CHECK(r.next.value == e.after_read);

    const FieldAccess w = field_write(e.policy, {kValue, false}, kData, 4);
    CHECK(w.next.value == e.after_write);
    CHECK(w.read == 0);
  }
}

TEST_CASE("the table covers all 23 policies", "[access]") {
  std::set<AccessPolicy> seen;
  for (const Expect& e : kTable) seen.insert(e.policy);
  CHECK(seen.size() == 23);
  for (AccessPolicy p : kAll) CHECK(seen.count(p) == 1);
}

TEST_CASE("exactly 23 of the 162 triples are policies, the rest classify to none", "[access]") {
  const SwAccess sws[] = {SwAccess::rw, SwAccess::r, SwAccess::w, SwAccess::rw1, SwAccess::w1, SwAccess::na};
  const OnRead reads[] = {OnRead::none, OnRead::rclr, OnRead::rset};
  const OnWrite writes[] = {OnWrite::none, OnWrite::woset, OnWrite::woclr, OnWrite::wot, OnWrite::wzs,
                            OnWrite::wzc,  OnWrite::wzt,   OnWrite::wclr,  OnWrite::wset};
  std::set<AccessPolicy> found;
  unsigned legal = 0;
  for (SwAccess sw : sws)
    for (OnRead r : reads)
      for (OnWrite w : writes) {
        const auto p = classify({sw, r, w});
        if (!p) continue;
        ++legal;
        found.insert(*p);
      }
  CHECK(legal == 23);
  CHECK(found.size() == 23);
  CHECK_FALSE(classify({SwAccess::na, OnRead::none, OnWrite::none}));
  CHECK_FALSE(classify({SwAccess::r, OnRead::none, OnWrite::woclr}));  // read-only cannot be written
  CHECK_FALSE(classify({SwAccess::w, OnRead::rclr, OnWrite::none}));   // write-only cannot be read
  CHECK_FALSE(classify({SwAccess::w, OnRead::none, OnWrite::woclr}));  // no write-only W1C policy
}

TEST_CASE("write-once fields take the first write after reset and ignore the rest", "[access]") {
  for (AccessPolicy p : {AccessPolicy::w1, AccessPolicy::rw1}) {
    INFO(policy_name(p));
    FieldState s{0x3, false};
    s = field_write(p, s, 0x5, 4).next;
    CHECK(s == FieldState{0x5, true});
    s = field_write(p, s, 0x9, 4).next;
    CHECK(s == FieldState{0x5, true});
    CHECK(field_read(p, s, 4).read == (p == AccessPolicy::rw1 ? 0x5u : 0u));
    CHECK(field_read(p, s, 4).next == s);
  }
}

TEST_CASE("a read returns the value before its side effect, and the next read sees the effect", "[access]") {
  FieldAccess first = field_read(AccessPolicy::rc, {0x5, false}, 4);
  CHECK(first.read == 0x5);
  FieldAccess second = field_read(AccessPolicy::rc, first.next, 4);
  CHECK(second.read == 0x0);
  first = field_read(AccessPolicy::w1crs, {0x1, false}, 3);
  CHECK(first.read == 0x1);
  CHECK(field_read(AccessPolicy::w1crs, first.next, 3).read == 0x7);
}

TEST_CASE("written data above the field width is ignored, and 64-bit fields work", "[access]") {
  CHECK(field_write(AccessPolicy::rw, {0, false}, 0xff, 4).next.value == 0xf);
  CHECK(field_write(AccessPolicy::w0s, {0, false}, 0xf0, 4).next.value == 0xf);
  CHECK(field_write(AccessPolicy::w0s, {0, false}, 0, 64).next.value == ~uint64_t(0));
  CHECK(field_write(AccessPolicy::w0t, {~uint64_t(0), false}, 0, 64).next.value == 0);
  CHECK(field_read(AccessPolicy::rs, {0, false}, 64).next.value == ~uint64_t(0));
}

TEST_CASE("readable and writable follow sw", "[access]") {
  CHECK(readable(AccessPolicy::rc));
  CHECK_FALSE(readable(AccessPolicy::wo));
  CHECK_FALSE(readable(AccessPolicy::w1));
  CHECK(readable(AccessPolicy::rw1));
  CHECK(writable(AccessPolicy::w1c));
  CHECK_FALSE(writable(AccessPolicy::ro));
  CHECK_FALSE(writable(AccessPolicy::rs));
  CHECK(describe({SwAccess::rw, OnRead::rclr, OnWrite::woset}) == "sw=rw onread=rclr onwrite=woset");
}
