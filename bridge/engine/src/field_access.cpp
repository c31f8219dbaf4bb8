// Field access policies: classification of the (sw, onread, onwrite) triple and its effect.
#include "tandem/field_access.h"

namespace tandem {

namespace {

struct PolicyRow {
  AccessPolicy policy;
  const char* name;
  AccessTriple triple;
};

// The one table the classification, the names and the canonical triples come from.
constexpr PolicyRow kPolicies[] = {
    {AccessPolicy::rw, "RW", {SwAccess::rw, OnRead::none, OnWrite::none}},
    {AccessPolicy::ro, "RO", {SwAccess::r, OnRead::none, OnWrite::none}},
    {AccessPolicy::wo, "WO", {SwAccess::w, OnRead::none, OnWrite::none}},
    {AccessPolicy::rc, "RC", {SwAccess::r, OnRead::rclr, OnWrite::none}},
    {AccessPolicy::rs, "RS", {SwAccess::r, OnRead::rset, OnWrite::none}},
    {AccessPolicy::wrc, "WRC", {SwAccess::rw, OnRead::rclr, OnWrite::none}},
    {AccessPolicy::wrs, "WRS", {SwAccess::rw, OnRead::rset, OnWrite::none}},
    {AccessPolicy::wc, "WC", {SwAccess::rw, OnRead::none, OnWrite::wclr}},
    {AccessPolicy::ws, "WS", {SwAccess::rw, OnRead::none, OnWrite::wset}},
    {AccessPolicy::wsrc, "WSRC", {SwAccess::rw, OnRead::rclr, OnWrite::wset}},
    {AccessPolicy::wcrs, "WCRS", {SwAccess::rw, OnRead::rset, OnWrite::wclr}},
    {AccessPolicy::w1c, "W1C", {SwAccess::rw, OnRead::none, OnWrite::woclr}},
    {AccessPolicy::w1s, "W1S", {SwAccess::rw, OnRead::none, OnWrite::woset}},
    {AccessPolicy::w1t, "W1T", {SwAccess::rw, OnRead::none, OnWrite::wot}},
    {AccessPolicy::w0c, "W0C", {SwAccess::rw, OnRead::none, OnWrite::wzc}},
    {AccessPolicy::w0s, "W0S", {SwAccess::rw, OnRead::none, OnWrite::wzs}},
    {AccessPolicy::w0t, "W0T", {SwAccess::rw, OnRead::none, OnWrite::wzt}},
    {AccessPolicy::w1src, "W1SRC", {SwAccess::rw, OnRead::rclr, OnWrite::woset}},
    {AccessPolicy::w1crs, "W1CRS", {SwAccess::rw, OnRead::rset, OnWrite::woclr}},
    {AccessPolicy::w0src, "W0SRC", {SwAccess::rw, OnRead::rclr, OnWrite::wzs}},
    {AccessPolicy::w0crs, "W0CRS", {SwAccess::rw, OnRead::rset, OnWrite::wzc}},
    {AccessPolicy::w1, "W1", {SwAccess::w1, OnRead::none, OnWrite::none}},
    {AccessPolicy::rw1, "RW1", {SwAccess::rw1, OnRead::none, OnWrite::none}},
};

const PolicyRow& row(AccessPolicy p) {
  for (const PolicyRow& r : kPolicies)
    if (r.policy == p) return r;
  return kPolicies[0];  // unreachable: every enumerator has a row
}

uint64_t mask_of(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

}  // namespace

std::optional<AccessPolicy> classify(const AccessTriple& t) {
  for (const PolicyRow& r : kPolicies)
    if (r.triple == t) return r.policy;
  return std::nullopt;
}

AccessTriple triple_of(AccessPolicy p) { return row(p).triple; }

const char* policy_name(AccessPolicy p) { return row(p).name; }

const char* sw_name(SwAccess s) {
  switch (s) {
    case SwAccess::rw: return "rw";
    case SwAccess::r: return "r";
    case SwAccess::w: return "w";
    case SwAccess::rw1: return "rw1";
    case SwAccess::w1: return "w1";
    case SwAccess::na: return "na";
  }
  return "?";
}

const char* onread_name(OnRead r) {
  switch (r) {
    case OnRead::none: return "";
    case OnRead::rclr: return "rclr";
    case OnRead::rset: return "rset";
  }
  return "?";
}

const char* onwrite_name(OnWrite w) {
  switch (w) {
    case OnWrite::none: return "";
    case OnWrite::woset: return "woset";
    case OnWrite::woclr: return "woclr";
    case OnWrite::wot: return "wot";
    case OnWrite::wzs: return "wzs";
    case OnWrite::wzc: return "wzc";
    case OnWrite::wzt: return "wzt";
    case OnWrite::wclr: return "wclr";
    case OnWrite::wset: return "wset";
  }
  return "?";
}

std::string describe(const AccessTriple& t) {
  std::string s = std::string("sw=") + sw_name(t.sw);
  if (t.onread != OnRead::none) s += std::string(" onread=") + onread_name(t.onread);
  if (t.onwrite != OnWrite::none) s += std::string(" onwrite=") + onwrite_name(t.onwrite);
  return s;
}

bool readable(AccessPolicy p) {
  const SwAccess sw = row(p).triple.sw;
  return sw == SwAccess::rw || sw == SwAccess::r || sw == SwAccess::rw1;
}

bool writable(AccessPolicy p) {
  const SwAccess sw = row(p).triple.sw;
  return sw == SwAccess::rw || sw == SwAccess::w || sw == SwAccess::rw1 || sw == SwAccess::w1;
}

FieldAccess field_read(AccessPolicy p, FieldState s, unsigned width) {
  const uint64_t mask = mask_of(width);
  FieldAccess out;
  out.next = s;
  out.next.value &= mask;
  out.read = readable(p) ? out.next.value : 0;
  switch (row(p).triple.onread) {
    case OnRead::none: break;
    case OnRead::rclr: out.next.value = 0; break;
    case OnRead::rset: out.next.value = mask; break;
  }
  return out;
}

FieldAccess field_write(AccessPolicy p, FieldState s, uint64_t data, unsigned width) {
  const uint64_t mask = mask_of(width);
  const AccessTriple t = row(p).triple;
  FieldAccess out;
  out.next = s;
  uint64_t& v = out.next.value;
  v &= mask;
  data &= mask;
  switch (t.sw) {
    case SwAccess::r:
    case SwAccess::na: return out;
    case SwAccess::rw1:
    case SwAccess::w1:
      if (!s.written) v = data;
      out.next.written = true;
      return out;
    case SwAccess::rw:
    case SwAccess::w: break;
  }
  switch (t.onwrite) {
    case OnWrite::none: v = data; break;
    case OnWrite::woset: v |= data; break;
    case OnWrite::woclr: v &= ~data; break;
    case OnWrite::wot: v ^= data; break;
    case OnWrite::wzs: v |= ~data & mask; break;
    case OnWrite::wzc: v &= data; break;
    case OnWrite::wzt: v ^= ~data & mask; break;
    case OnWrite::wclr: v = 0; break;
    case OnWrite::wset: v = mask; break;
  }
  return out;
}

}  // namespace tandem
