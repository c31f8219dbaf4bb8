// JUnit XML (the dialect Jenkins, GitLab and GitHub's test reporters read), written with pugixml.
#include "tandem/report_junit.h"

#include <map>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

namespace tandem {

namespace {

std::string failure_text(const RunRecord& r) {
  const Divergence& d = *r.divergence;
  std::string out = fmt::format("{}: {} divergence at step {}, cycle {}, register {}\n", r.job.device,
                                kind_name(d.kind), d.step, d.cycle, d.reg);
  out += fmt::format("  RTL:   {:#010x}\n  model: {:#010x}\n  {}\n", d.rtl, d.model, d.detail);
  if (!d.recent.empty()) {
    out += "  last steps:\n";
    const uint64_t first = d.step + 1 - d.recent.size();
    for (size_t i = 0; i < d.recent.size(); ++i)
      out += fmt::format("  {} {:>8}  {}\n", i + 1 == d.recent.size() ? ">" : " ", first + i, format_step(d.recent[i]));
  }
  if (!d.replay.empty()) out += fmt::format("  replay: {}\n", d.replay);
  return out;
}

// A waived divergence is a known difference: a skipped case per waiver that matched, so CI
// shows it beside the passes and failures instead of hiding it.
size_t add_waived_cases(pugi::xml_node suite, const std::string& classname, const RunRecord& r) {
  for (const WaivedDivergences& w : r.waived) {
    pugi::xml_node tc = suite.append_child("testcase");
    tc.append_attribute("classname") = classname.c_str();
    tc.append_attribute("name") =
        fmt::format("{} strategy {} seed {} waived {} at {} ({})", r.job.device, r.job.strategy, r.job.seed,
                    kind_name(w.first.kind), w.first.reg, w.waiver.where)
            .c_str();
    tc.append_attribute("time") = "0.000";
    tc.append_child("skipped").append_attribute("message") =
        fmt::format("{} divergence{} waived by {}: {}; first at step {}, cycle {}: RTL {:#x}, model {:#x}", w.count,
                    w.count == 1 ? "" : "s", w.waiver.where, w.waiver.reason, w.first.step, w.first.cycle, w.first.rtl,
                    w.first.model)
            .c_str();
  }
  return r.waived.size();
}

// --keep-going: the distinct divergences after the first, each a failing case of its own.
size_t add_distinct_cases(pugi::xml_node suite, const std::string& classname, const RunRecord& r) {
  for (size_t i = 1; i < r.distinct.size(); ++i) {
    const Divergence& d = r.distinct[i].first;
    pugi::xml_node tc = suite.append_child("testcase");
    tc.append_attribute("classname") = classname.c_str();
    tc.append_attribute("name") =
        fmt::format("{} strategy {} seed {} distinct #{}", r.job.device, r.job.strategy, r.job.seed, i + 1).c_str();
    tc.append_attribute("time") = "0.000";
    pugi::xml_node f = tc.append_child("failure");
    f.append_attribute("type") = kind_name(d.kind);
    f.append_attribute("message") =
        fmt::format("{} divergence at step {}, register {}: RTL {:#x}, model {:#x} ({} times){}", kind_name(d.kind),
                    d.step, d.reg, d.rtl, d.model, r.distinct[i].count, d.replay.empty() ? "" : "; replay: " + d.replay)
            .c_str();
  }
  return r.distinct.empty() ? 0 : r.distinct.size() - 1;
}

}  // namespace

std::string junit_xml(const std::string& name, const std::vector<RunRecord>& runs) {
  // Suites in the order their device first appears.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const RunRecord*>> by_device;
  for (const RunRecord& r : runs) {
    auto& list = by_device[r.job.device];
    if (list.empty()) order.push_back(r.job.device);
    list.push_back(&r);
  }
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node suites = doc.append_child("testsuites");
  size_t total = 0, failures = 0, skipped = 0;
  double seconds = 0;
  suites.append_attribute("name") = name.c_str();
  for (const std::string& device : order) {
    const auto& list = by_device[device];
    pugi::xml_node suite = suites.append_child("testsuite");
    size_t suite_failures = 0, suite_cases = 0, suite_skipped = 0;
    double suite_seconds = 0;
    suite.append_attribute("name") = device.c_str();
    for (const RunRecord* r : list) {
      pugi::xml_node tc = suite.append_child("testcase");
      tc.append_attribute("classname") = fmt::format("{}.{}", name, device).c_str();
      tc.append_attribute("name") = fmt::format("{} strategy {} seed {}", device, r->job.strategy, r->job.seed).c_str();
      tc.append_attribute("time") = fmt::format("{:.3f}", r->seconds).c_str();
      if (r->divergence) {
        const Divergence& d = *r->divergence;
        pugi::xml_node f = tc.append_child("failure");
        f.append_attribute("type") = kind_name(d.kind);
        f.append_attribute("message") =
            fmt::format("{} divergence at step {}, cycle {}, register {}: RTL {:#x}, model {:#x}{}", kind_name(d.kind),
                        d.step, d.cycle, d.reg, d.rtl, d.model, d.replay.empty() ? "" : "; replay: " + d.replay)
                .c_str();
        f.text().set(failure_text(*r).c_str());
      } else if (!r->failure.empty()) {
        pugi::xml_node f = tc.append_child("failure");
        f.append_attribute("type") = "failed";
        f.append_attribute("message") = r->failure.c_str();
      }
      pugi::xml_node out = tc.append_child("system-out");
      out.text().set(fmt::format("steps {}, cycles {}, reads {}, writes {}, irq checks {}, DMA accesses {}{}",
                                 r->stats.steps, r->stats.cycles, r->stats.reads, r->stats.writes, r->stats.irq_checks,
                                 r->stats.dma_accesses, r->interrupted ? "; interrupted: a partial run" : "")
                         .c_str());
      if (!r->clean()) ++suite_failures;
      suite_seconds += r->seconds;
      const std::string classname = fmt::format("{}.{}", name, device);
      const size_t distinct = add_distinct_cases(suite, classname, *r);
      const size_t waived = add_waived_cases(suite, classname, *r);
      suite_failures += distinct;
      suite_skipped += waived;
      suite_cases += 1 + distinct + waived;
    }
    suite.append_attribute("tests") = static_cast<unsigned long long>(suite_cases);
    suite.append_attribute("failures") = static_cast<unsigned long long>(suite_failures);
    suite.append_attribute("errors") = 0;
    suite.append_attribute("skipped") = static_cast<unsigned long long>(suite_skipped);
    suite.append_attribute("time") = fmt::format("{:.3f}", suite_seconds).c_str();
    total += suite_cases;
    failures += suite_failures;
    skipped += suite_skipped;
    seconds += suite_seconds;
  }
  suites.append_attribute("tests") = static_cast<unsigned long long>(total);
  suites.append_attribute("failures") = static_cast<unsigned long long>(failures);
  suites.append_attribute("errors") = 0;
  suites.append_attribute("skipped") = static_cast<unsigned long long>(skipped);
  suites.append_attribute("time") = fmt::format("{:.3f}", seconds).c_str();
  std::ostringstream os;
  doc.save(os, "  ", pugi::format_default, pugi::encoding_utf8);
  return os.str();
}

}  // namespace tandem
